"""Synthetic jobindsats.dk extracts for all 98 municipalities, Hele landet and a few RAR areas,
in each format the ingest accepts (docs/domain.md §3.4): web CSV, XLSX, API v2 JSON, API v3 JSON."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from synthetic.core import Settings
from synthetic.municipalities import ALIAS_FILE_NAMES, RAR_AREAS, municipalities

SYNTHETIC_NOTE = "SYNTETISKE DATA – ikke rigtige tal"
SOURCE_NOTE = (
    f"Kilde: Jobindsats.dk, Styrelsen for Arbejdsmarked og Rekruttering. {SYNTHETIC_NOTE}."
)


# ---------------------------------------------------------------- periods
def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def last_months(s: Settings, count: int) -> list[str]:
    last = _month_index(s.as_of) - 1  # the last complete month
    return [f"{m // 12}M{m % 12 + 1:02d}" for m in range(last - count + 1, last + 1)]


def last_quarters(s: Settings, count: int, fmt: str = "{y}Q{q}") -> list[str]:
    last = (s.as_of.year * 4 + (s.as_of.month - 1) // 3) - 1  # the last complete quarter
    return [fmt.format(y=q // 4, q=q % 4 + 1) for q in range(last - count + 1, last + 1)]


# ---------------------------------------------------------------- values
def _areas(alias: bool = False) -> pl.DataFrame:
    m = municipalities()
    names = m["jobindsats_name"].to_list()
    if alias:
        names = [ALIAS_FILE_NAMES.get(c, n) for c, n in zip(m["municipality_code"], names,
                                                             strict=True)]  # fmt: skip
    return pl.DataFrame({"code": m["municipality_code"], "area": names, "pop": m["population"]})


def _values(areas: pl.DataFrame, periods: list[str], rate: float, rng, dims: list[str]):
    """Long frame area × period × dim with a value ∝ population, plus Hele landet and RAR sums."""
    grid = (
        areas.join(pl.DataFrame({"period": periods}), how="cross")
        .join(pl.DataFrame({"dim": dims, "dim_share": _dim_shares(dims)}), how="cross")
        .sort("code", "period", "dim")
    )
    season = 1 + 0.08 * np.sin(np.arange(grid.height) % max(len(periods), 1) / 2)
    noise = rng.lognormal(0, 0.12, grid.height)
    local = rng.lognormal(0, 0.15, areas.height)  # each municipality its own level
    level = dict(zip(areas["code"].to_list(), local, strict=True))
    grid = grid.with_columns(
        value=pl.Series(
            grid["pop"].to_numpy() * rate * season * noise
            * grid["code"].replace_strict(level, return_dtype=pl.Float64).to_numpy()
        ) * pl.col("dim_share")
    )  # fmt: skip
    if "I alt" in dims:  # the total is the sum of its parts, as in the real tables
        parts = (
            grid.filter(pl.col("dim") != "I alt")
            .group_by("code", "period")
            .agg(pl.col("value").sum().alias("total"))
        )
        grid = (
            grid.join(parts, on=["code", "period"], how="left")
            .with_columns(
                value=pl.when(pl.col("dim") == "I alt")
                .then(pl.col("total"))
                .otherwise(pl.col("value"))
            )
            .drop("total")
        )
    totals = [grid.group_by("period", "dim").agg(pl.col("value").sum(), pl.col("pop").sum())
              .with_columns(area=pl.lit("Hele landet"), code=pl.lit(None, pl.String))]  # fmt: skip
    for rar, members in list(RAR_AREAS.items())[:4]:
        part = grid.filter(pl.col("code").is_in(members))
        totals.append(
            part.group_by("period", "dim").agg(pl.col("value").sum(), pl.col("pop").sum())
            .with_columns(area=pl.lit(rar), code=pl.lit(None, pl.String))
        )  # fmt: skip
    cols = ["area", "code", "pop", "period", "dim", "value"]
    return pl.concat([t.select(cols) for t in totals] + [grid.select(cols)]).sort(
        "area", "period", "dim"
    )


def _dim_shares(dims: list[str]) -> list[float]:
    if dims == ["I alt", "Kvinder", "Mænd"]:
        return [1.0, 0.58, 0.42]
    return [1.0 / len(dims) if d != "I alt" else 1.0 for d in dims]


def danish(x: float, decimals: int) -> str:
    """1234.5 → '1.234,5' (thousands dots, decimal comma)."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


# ---------------------------------------------------------------- formats
def write_y07a02_csv(s: Settings, path: Path, rng) -> int:
    """Web CSV: title lines, `;`, thousands dots, decimal comma, `..`/`-`, Kilde footnote."""
    months = last_months(s, 24)
    frame = _values(_areas(), months, 0.012, rng, ["I alt", "Kvinder", "Mænd"])
    persons = np.round(frame["value"].to_numpy() / 10) * 10
    fte = frame["value"].to_numpy() * 0.62
    small = (frame["pop"].to_numpy() < 5000) & (frame["dim"].to_numpy() != "I alt")
    dash = rng.random(frame.height) < 0.003
    p_text = np.where(small, "..", np.where(dash, "-", [danish(v, 0) for v in persons]))
    f_text = np.where(small, "..", [danish(v, 1) for v in fte])
    lines = [
        f"Y07A02: Sygedagpenge – personer og fuldtidspersoner ({SYNTHETIC_NOTE})",
        f"Periode: {months[0]}-{months[-1]}",
        "",
        "Område;Periode;Køn;Antal personer;Antal fuldtidspersoner",
    ]
    lines += [
        f"{a};{p};{d};{pt};{ft}"
        for a, p, d, pt, ft in zip(
            frame["area"], frame["period"], frame["dim"], p_text, f_text, strict=True
        )  # fmt: skip
    ]
    lines += ["", SOURCE_NOTE, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return frame.height


def write_y08a02_xlsx(s: Settings, path: Path, rng) -> int:
    """'Hent data til Excel': title rows first, the header on row 4; 820 under its alias."""
    months = last_months(s, 12)
    frame = _values(_areas(alias=True), months, 0.009, rng, ["Fleksjob"])
    workbook = xlsxwriter.Workbook(str(path))
    created = datetime(s.as_of.year, s.as_of.month, s.as_of.day)
    workbook.set_properties({"title": f"Y08A02 ({SYNTHETIC_NOTE})", "created": created})
    sheet = workbook.add_worksheet("Y08A02")
    sheet.write(0, 0, f"Y08A02: Fleksjob – personer ({SYNTHETIC_NOTE})")
    sheet.write(1, 0, f"Periode: {months[0]}-{months[-1]}")
    header = ["Område", "Periode", "Ordning", "Antal personer", "Antal fuldtidspersoner"]
    for c, h in enumerate(header):
        sheet.write(3, c, h)
    persons = np.round(frame["value"].to_numpy() / 10) * 10
    fte = np.round(frame["value"].to_numpy() * 0.55, 1)
    small = frame["pop"].to_numpy() < 5000
    for r, (a, p, d, v, f, sm) in enumerate(
        zip(frame["area"], frame["period"], frame["dim"], persons, fte, small, strict=True),
        start=4,
    ):
        sheet.write_row(r, 0, [a, p, d])
        sheet.write(r, 3, ".." if sm else float(v))
        sheet.write(r, 4, ".." if sm else float(f))
    sheet.write(4 + frame.height + 1, 0, SOURCE_NOTE)
    workbook.close()
    return frame.height


def write_ptvc01_v2(s: Settings, path: Path, rng) -> int:
    """API v2: [{"Variables":[{"Name","Label"}], "Data":[[…]]}], quarterly, values as strings."""
    quarters = last_quarters(s, 8)
    groups = ["A-dagpenge", "Kontanthjælp", "Sygedagpenge"]
    frame = _values(_areas(), quarters, 0.006, rng, groups)
    count = np.round(frame["value"].to_numpy() / 10) * 10
    rate = np.clip(rng.normal(9.0, 2.5, frame.height), 1, 30)
    small = frame["pop"].to_numpy() < 5000
    data = [
        [a, p, d, ".." if sm else danish(c, 0), ".." if sm else danish(r, 2)]
        for a, p, d, c, r, sm in zip(
            frame["area"], frame["period"], frame["dim"], count, rate, small, strict=True
        )  # fmt: skip
    ]
    payload = [
        {
            "TableID": "PTVC01",
            "Title": f"PTVC01: Aktiverede ({SYNTHETIC_NOTE})",
            "Variables": [
                {"Name": "Area", "Label": "Område"},
                {"Name": "Period", "Label": "Periode"},
                {"Name": "Ydelsesgruppe", "Label": "Ydelsesgruppe"},
                {"Name": "PTVC01_1", "Label": "Antal aktiverede"},
                {"Name": "PTVC01_2", "Label": "Aktiveringsgrad (pct)"},
            ],
            "Data": data,
        }
    ]
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return len(data)


def write_y14d03_v3(s: Settings, path: Path, rng) -> int:
    """API v3: {"columns":[…], "rows":[[…]]}, running-year periods (QMAT), JSON numbers."""
    periods = last_quarters(s, 4, "{y}QMAT0{q}")
    offers = ["Offentlig virksomhedspraktik", "Privat virksomhedspraktik",
              "Offentligt løntilskud", "Privat løntilskud"]  # fmt: skip
    frame = _values(_areas(), periods, 0.004, rng, offers)
    count = np.round(frame["value"].to_numpy()).astype(int)
    share = np.clip(rng.normal(28, 8, frame.height), 2, 80)
    small = count < 5
    rows = [
        [a, p, d, ".." if sm else int(c), "-" if sm else danish(sh, 1)]
        for a, p, d, c, sh, sm in zip(
            frame["area"], frame["period"], frame["dim"], count, share, small, strict=True
        )  # fmt: skip
    ]
    payload = {
        "table_id": "Y14D03",
        "title": f"Y14D03: Virksomhedsrettede tilbud ({SYNTHETIC_NOTE})",
        "columns": [
            "Område",
            "Periode",
            "Tilbud",
            "Antal forløb",
            "Andel i beskæftigelse efter 3 mdr. (pct)",
        ],  # fmt: skip
        "rows": rows,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return len(rows)


def write_y30r21_csv(s: Settings, path: Path, rng) -> int:
    """Benchmark of expected vs actual share on public support (whole years + year to date)."""
    periods = [str(s.as_of.year - 2), f"{s.as_of.year - 1}Y01"]
    if s.as_of.month > 1:
        periods.append(f"{s.as_of.year}MYTD{s.as_of.month - 1:02d}")
    areas = _areas()
    grid = areas.join(pl.DataFrame({"period": periods}), how="cross").sort("code", "period")
    n = grid.height
    expected = rng.normal(16.0, 3.0, n)
    actual = expected + rng.normal(0, 1.2, n)
    lines = [
        f"Y30R21: Forventet og faktisk andel på offentlig forsørgelse ({SYNTHETIC_NOTE})",
        "Område;Periode;Faktisk andel (pct);Forventet andel (pct);Forskel (pct.-point)",
    ]
    lines += [
        f"{a};{p};{danish(x, 1)};{danish(e, 1)};{danish(x - e, 1)}"
        for a, p, x, e in zip(grid["area"], grid["period"], actual, expected, strict=True)
    ]
    national = [f"Hele landet;{p};16,0;16,0;0,0" for p in periods]
    lines += national + ["Kilde: Jobindsats.dk (benchmark). " + SYNTHETIC_NOTE, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return n + len(national)


WRITERS = {
    "Y07A02_sygedagpenge.csv": write_y07a02_csv,
    "Y08A02_fleksjob.xlsx": write_y08a02_xlsx,
    "PTVC01_aktiverede.json": write_ptvc01_v2,
    "Y14D03_virksomhedsrettede_tilbud.json": write_y14d03_v3,
    "Y30R21_forventet_faktisk.csv": write_y30r21_csv,
}


def write_jobindsats(s: Settings, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name, writer in WRITERS.items():
        rows[f"jobindsats/{name}"] = writer(s, folder / name, s.rng(f"jobindsats/{name}"))
    return rows
