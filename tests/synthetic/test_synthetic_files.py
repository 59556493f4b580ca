"""File-level properties: CSV dialect variety, the bad-row list, the jobindsats formats and the
targets file."""

from __future__ import annotations

import json
import re

import openpyxl
import polars as pl

from tests.synthetic.conftest import AS_OF
from tests.synthetic.landing_reader import (
    KEYS,
    SEEDS_DIR,
    bad_rows,
    final_rows,
    read_file,
    read_register,
    to_date,
)

REQUIRED_REASONS = {
    "invalid_cpr",
    "invalid_date",
    "unknown_code",
    "end_before_start",
    "dangling_reference",
    "overlapping_spell",
    "out_of_range",
    "missing_required",
}


def test_every_file_says_the_data_is_synthetic(landing):
    assert (landing / "README.txt").read_text(encoding="utf-8").startswith("SYNTETISKE DATA")
    assert "SYNTETISKE DATA" in (landing / "config" / "rules.yml").read_text(encoding="utf-8")
    for path in (landing / "jobindsats").iterdir():
        if path.suffix == ".xlsx":
            sheet = openpyxl.load_workbook(path, read_only=True).active
            assert "SYNTETISKE DATA" in str(next(sheet.iter_rows(values_only=True))[0])
        elif path.suffix == ".csv":
            assert "SYNTETISKE DATA" in path.read_text(encoding="utf-8").splitlines()[0]
        else:  # API answers: a title next to the table (the ingest ignores it)
            payload = json.loads(path.read_text(encoding="utf-8"))
            title = payload[0]["Title"] if isinstance(payload, list) else payload["title"]
            assert "SYNTETISKE DATA" in title


def test_csv_dialects_vary_across_register_files(landing):
    files = sorted((landing / "registers").glob("*.csv"))
    raw = {p.name: p.read_bytes() for p in files}
    headers = {n: b.decode("utf-8-sig").splitlines()[0] for n, b in raw.items()}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw.values())  # a UTF-8 BOM
    assert any(";" in h for h in headers.values()) and any(
        ";" not in h and "," in h for h in headers.values()
    )
    assert any(h != h.lower() for h in headers.values())  # mixed / upper case
    assert any(re.search(r"(^|[;,]) \w", h) for h in headers.values())  # stray spaces
    extra = [
        n
        for n, h in headers.items()
        if len(read_file(landing / "registers" / n).columns) - 2 > _register_width(n)
    ]
    assert extra, "an extra, ignored column somewhere"
    text = "\n".join(b.decode("utf-8-sig") for b in raw.values())
    for pattern in (r"\d{4}-\d\d-\d\d", r"\b\d\d-\d\d-\d{4}\b", r"\b\d\d\.\d\d\.\d{4}\b"):
        assert re.search(pattern, text), pattern
    assert re.search(r";\d+,\d;", text)  # a decimal comma
    s56 = set(read_register(landing, "absences")["s56"].drop_nulls().str.to_lowercase())
    assert {"1", "0", "ja", "nej", "true", "false"} <= s56


REGISTER_WIDTH = {
    "org_units": 8,
    "engagements": 10,
    "absences": 7,
    "placements": 11,
    "sdp_cases": 7,
    "sdp_events": 6,
}


def _register_width(file_name: str) -> int:
    return next(w for r, w in REGISTER_WIDTH.items() if file_name.startswith(r + "_"))


def test_deliberate_bad_rows_are_listed_and_really_bad(landing):
    bad = bad_rows(landing)
    assert 10 <= bad.height <= 20
    assert set(bad["reason"]) >= REQUIRED_REASONS
    for register in KEYS:
        assert bad.filter(pl.col("register") == register).height >= 1, register
    for file_name, register, key, row, column, reason, _ in bad.iter_rows():
        frame = read_file(landing / file_name)
        line = frame.filter(pl.col("_row") == int(row)).row(0, named=True)
        assert line[KEYS[register]] == key
        # each listed file is the last of its register (bad rows arrive late)
        assert file_name == sorted(read_register(landing, register)["_file"].unique())[-1]
        value = line[column]
        if reason == "missing_required":
            assert value is None
        elif reason == "out_of_range":
            assert float(value.replace(",", ".")) == 0
        elif reason == "invalid_date":
            assert frame.filter(pl.col("_row") == int(row)).select(to_date(column)).item() is None
    # The overlapping spell overlaps a good spell of the same engagement that starts earlier.
    overlap = bad.filter(pl.col("reason") == "overlapping_spell").row(0, named=True)
    spells = read_register(landing, "absences").with_columns(
        to_date("from_date"), to_date("to_date")
    )
    mine = spells.filter(pl.col("absence_id") == overlap["key"]).row(0, named=True)
    good = final_rows(landing, "absences").with_columns(to_date("from_date"), to_date("to_date"))
    hit = good.filter(
        (pl.col("engagement_id") == mine["engagement_id"])
        & (pl.col("from_date") < mine["from_date"])
        & (pl.col("to_date") >= mine["from_date"])
    )
    assert hit.height == 1
    # The engagement update that ends before it starts reuses a key from an earlier file.
    ebs = bad.filter(
        (pl.col("register") == "engagements") & (pl.col("reason") == "end_before_start")
    )
    key = ebs["key"][0]
    rows = read_register(landing, "engagements").filter(pl.col("engagement_id") == key)
    assert rows.height == 2 and rows["_file"].n_unique() == 2
    # Dangling references point at no good row.
    good_eng = set(final_rows(landing, "engagements")["engagement_id"])
    for key in bad.filter(
        (pl.col("register") == "absences") & (pl.col("reason") == "dangling_reference")
    )["key"]:
        ref = spells.filter(pl.col("absence_id") == key)["engagement_id"][0]
        assert ref not in good_eng


def _area_codes() -> dict[str, str]:
    kommuner = pl.read_csv(SEEDS_DIR / "kommuner.csv", separator=";", infer_schema=False)
    aliases = pl.read_csv(SEEDS_DIR / "kommune_aliases.csv", separator=";", infer_schema=False)
    names = {}
    for code, name, js in kommuner.select(
        "municipality_code", "name", "jobindsats_name"
    ).iter_rows():
        names[name] = names[js] = code
    names.update(dict(aliases.iter_rows()))
    return names


def _areas_by_file(landing) -> dict[str, list[str]]:
    out = {}
    for path in sorted((landing / "jobindsats").iterdir()):
        if path.suffix == ".csv":
            lines = path.read_text(encoding="utf-8").splitlines()
            start = next(i for i, line in enumerate(lines) if line.startswith("Område;"))
            rows = [line for line in lines[start + 1 :] if ";" in line]
            out[path.name] = [r.split(";")[0] for r in rows]
        elif path.suffix == ".xlsx":
            rows = list(
                openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True)
            )
            start = next(i for i, r in enumerate(rows) if r[0] == "Område")
            out[path.name] = [r[0] for r in rows[start + 1 :] if r[1] is not None]
        else:
            payload = json.loads(path.read_text(encoding="utf-8"))
            data = payload[0]["Data"] if isinstance(payload, list) else payload["rows"]
            out[path.name] = [r[0] for r in data]
    return out


def test_all_98_municipalities_are_reachable_in_every_jobindsats_file(landing):
    codes = _area_codes()
    all_codes = set(codes.values())
    assert (
        len(set(pl.read_csv(SEEDS_DIR / "kommuner.csv", separator=";")["municipality_code"])) == 98
    )
    alias_files = []
    for name, areas in _areas_by_file(landing).items():
        municipal = {a.removesuffix(" Kommune") for a in areas} - {"Hele landet"}
        municipal = {a for a in municipal if not a.startswith("RAR ")}
        assert municipal <= set(codes), (name, municipal - set(codes))
        assert {codes[a] for a in municipal} == all_codes, name
        assert "Hele landet" in areas, name
        if "Vesthimmerland" in areas:
            alias_files.append(name)
    assert alias_files == ["Y08A02_fleksjob.xlsx"]
    assert any(a.startswith("RAR ") for a in _areas_by_file(landing)["Y07A02_sygedagpenge.csv"])


def test_jobindsats_formats_and_quirks(landing):
    folder = landing / "jobindsats"
    names = sorted(p.name for p in folder.iterdir())
    assert [n[:6] for n in names] == ["PTVC01", "Y07A02", "Y08A02", "Y14D03", "Y30R21"]
    csv = (folder / "Y07A02_sygedagpenge.csv").read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(csv) if line.startswith("Område;"))
    assert header_at >= 1  # title lines first
    assert csv[header_at].split(";")[3:] == ["Antal personer", "Antal fuldtidspersoner"]
    data = [line.split(";") for line in csv[header_at + 1 :] if line.count(";") == 4]
    assert any(line.startswith("Kilde:") for line in csv[header_at + 1 :])
    persons = [r[3] for r in data]
    assert ".." in persons and "-" in persons
    numbers = [int(p.replace(".", "")) for p in persons if p not in ("..", "-")]
    assert all(n % 10 == 0 for n in numbers)  # counts rounded to 10
    assert any("." in p for p in persons if p not in ("..", "-"))  # thousands dots
    assert any("," in r[4] for r in data)  # decimal comma
    periods = sorted({r[1] for r in data})
    assert all(re.fullmatch(r"\d{4}M\d\d", p) for p in periods) and 20 <= len(periods) <= 24
    last = f"{AS_OF.year}M{AS_OF.month - 1:02d}"
    assert periods[-1] == last
    horsens = [float(r[3].replace(".", "")) for r in data if r[0] == "Horsens" and r[2] == "I alt"]
    aarhus = [float(r[3].replace(".", "")) for r in data if r[0] == "Aarhus" and r[2] == "I alt"]
    assert 2 < sum(aarhus) / sum(horsens) < 8  # proportional to size (367k vs 90k)

    sheet = openpyxl.load_workbook(folder / "Y08A02_fleksjob.xlsx", read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] != "Område" and any(r[0] == "Område" for r in rows)

    v2 = json.loads((folder / "PTVC01_aktiverede.json").read_text(encoding="utf-8"))
    assert isinstance(v2, list) and {"Variables", "Data"} <= set(v2[0])
    assert {v["Label"] for v in v2[0]["Variables"]} >= {"Område", "Periode"}
    assert all(re.fullmatch(r"\d{4}Q[1-4]", r[1]) for r in v2[0]["Data"])
    assert any(re.fullmatch(r"\d+,\d\d", r[4]) for r in v2[0]["Data"])  # "9,08" strings

    v3 = json.loads((folder / "Y14D03_virksomhedsrettede_tilbud.json").read_text(encoding="utf-8"))
    assert {"columns", "rows"} <= set(v3)
    assert all(re.fullmatch(r"\d{4}QMAT0[1-4]", r[1]) for r in v3["rows"])
    assert any(isinstance(r[3], int) for r in v3["rows"])
    assert "Offentlig virksomhedspraktik" in {r[2] for r in v3["rows"]}

    y30 = (folder / "Y30R21_forventet_faktisk.csv").read_text(encoding="utf-8")
    assert re.search(r";-\d+,\d\n", y30)  # negative differences, not suppression marks


def test_targets_cover_the_kpis_and_scopes(landing):
    targets = pl.read_csv(landing / "config" / "targets.csv", separator=";", infer_schema=False)
    assert targets.columns == [
        "kpi",
        "scope_type",
        "scope_id",
        "period_start",
        "period_end",
        "target_value",
        "direction",
        "source",
    ]
    assert {
        "placements_active",
        "quota_workplaces_over_pct",
        "sickness_pct_ordinaere",
        "rettidighed_pct",
    } <= set(targets["kpi"])
    assert set(targets["scope_type"]) == {"kommune", "area", "org_unit"}
    assert set(targets.filter(pl.col("scope_type") == "kommune")["scope_id"]) == {"615"}
    assert {"HMU", "byraad", "jobcenter"} <= set(targets["source"])
    assert set(targets["direction"]) == {"min", "max"}
    areas = set(final_rows(landing, "org_units")["area"].drop_nulls())
    assert set(targets.filter(pl.col("scope_type") == "area")["scope_id"]) <= areas
