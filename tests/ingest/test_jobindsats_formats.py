"""One hand-written extract in all four formats (CSV, XLSX, API v2, API v3) → the same facts and
the same quarantine entries; unusable files fail with a message naming the file (§3.4, E19–E21)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingest.jobindsats.extracts import JobindsatsFormatError, load_extracts, parse_extract
from ingest.raw_schema import create_raw_schema

BOM = "\ufeff"
HEADER = ["Område", "Periode", "Køn", "Antal personer", "Antal fuldtidspersoner", "Andel"]
# Data rows 1–6 as jobindsats writes them. Row 5 has an unknown area, row 6 a bad period.
ROWS = [
    ["Hele landet", "2024MYTD03", "I alt", "81.230", "1.234,5", "9,08"],
    ["Horsens Kommune", "2024K1", "I alt", "..", "-", "9,5"],
    ["Vesthimmerland", "2022QMAT04", "I alt", "1.234", "20,0", "."],
    ["RAR Østjylland", "2024M01", "I alt", "", "5", "1"],
    ["Narnia", "2024M01", "I alt", "5", "5", "5"],
    ["Odder", "2024X1", "I alt", "5", "5", "5"],
]
# The same figures as spreadsheet numbers (XLSX stores numbers, not Danish text).
XLSX_NUMBERS = {"81.230": 81230, "1.234,5": 1234.5, "9,08": 9.08, "1.234": 1234, "20,0": 20.0}

PERSONS, FTE, SHARE = HEADER[3:]
MYTD = ("mytd", date(2024, 1, 1), date(2024, 3, 31))
Q1 = ("quarter", date(2024, 1, 1), date(2024, 3, 31))
# QMAT04 of 2022: the 12 months ending with Q4 2022, not a month.
QMAT = ("qmat", date(2022, 1, 1), date(2022, 12, 31))
JAN = ("month", date(2024, 1, 1), date(2024, 1, 31))
# (area, level, code, measure, value or None = suppressed, period) worked out from ROWS.
EXPECTED = {
    ("Hele landet", "land", None, PERSONS, 81230.0, MYTD),
    ("Hele landet", "land", None, FTE, 1234.5, MYTD),
    ("Hele landet", "land", None, SHARE, 9.08, MYTD),
    ("Horsens Kommune", "kommune", "615", PERSONS, None, Q1),
    ("Horsens Kommune", "kommune", "615", FTE, None, Q1),
    ("Horsens Kommune", "kommune", "615", SHARE, 9.5, Q1),
    ("Vesthimmerland", "kommune", "820", PERSONS, 1234.0, QMAT),
    ("Vesthimmerland", "kommune", "820", FTE, 20.0, QMAT),
    ("Vesthimmerland", "kommune", "820", SHARE, None, QMAT),
    ("RAR Østjylland", "rar", None, PERSONS, None, JAN),
    ("RAR Østjylland", "rar", None, FTE, 5.0, JAN),
    ("RAR Østjylland", "rar", None, SHARE, 1.0, JAN),
}


def write_csv(folder: Path) -> Path:
    lines = [
        "Sygedagpenge: Antal personer og fuldtidspersoner",
        "Udtrukket fra Jobindsats.dk 12-03-2025",
        "",
        ";".join(HEADER),
        *(";".join(f'"{c}"' if "," in c else c for c in row) for row in ROWS),
        "",
        "Kilde: Jobindsats.dk; STAR",
    ]
    path = folder / "Y07A02_web.csv"
    path.write_bytes((BOM + "\n".join(lines) + "\n").encode("utf-8"))
    return path


def write_xlsx(folder: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Sygedagpenge: Antal personer og fuldtidspersoner"])
    sheet.append([])
    sheet.append(HEADER)  # the header on row 3
    for row in ROWS:
        sheet.append([XLSX_NUMBERS.get(c, c) if i >= 3 else c for i, c in enumerate(row)])
    sheet.append(["Kilde: Jobindsats.dk"])
    path = folder / "Y07A02_excel.xlsx"
    workbook.save(path)
    return path


def write_v2(folder: Path) -> Path:
    payload = [
        {
            "TableID": "Y07A02",
            "Variables": [{"Name": f"v{i}", "Label": label} for i, label in enumerate(HEADER)],
            "Data": ROWS,
        }
    ]
    path = folder / "Y07A02_v2.json"
    path.write_bytes((BOM + json.dumps(payload, ensure_ascii=False)).encode("utf-8"))
    return path


def write_v3(folder: Path) -> Path:
    payload = {"columns": HEADER, "rows": ROWS}
    path = folder / "Y07A02_v3.json"
    path.write_bytes((BOM + json.dumps(payload, ensure_ascii=False)).encode("utf-8"))
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "v2": write_v2, "v3": write_v3}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_format_gives_the_same_facts(tmp_path: Path, fmt: str):
    path = WRITERS[fmt](tmp_path)
    result = parse_extract(path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 4, 2)
    assert result.table_ids == ["Y07A02"]
    facts = result.facts.to_dicts()
    got = {
        (
            f["area_name"],
            f["area_level"],
            f["municipality_code"],
            f["measure"],
            f["value"],
            (f["period_type"], f["period_start"], f["period_end"]),
        )
        for f in facts
    }
    assert got == EXPECTED and len(facts) == len(EXPECTED)
    # Suppressed = no figure, never 0; "Køn" is a dimension.
    assert all(f["suppressed"] == (f["value"] is None) for f in facts)
    assert {f["dimensions"] for f in facts} == {'{"Køn": "I alt"}'}
    assert {f["source_file"] for f in facts} == {path.name}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_format_quarantines_the_same_rows_with_file_row_and_reason(tmp_path: Path, fmt):
    path = WRITERS[fmt](tmp_path)
    entries = parse_extract(path).quarantine.to_dicts()
    assert [
        (e["file_name"], e["register"], e["row_number"], e["column_name"], e["severity"])
        + (e["reason"], e["detail"])
        for e in entries
    ] == [
        (path.name, "Y07A02", 5, "Område", "error", "unknown_area", "ukendt område 'Narnia'"),
        (path.name, "Y07A02", 6, "Periode", "error", "invalid_period", "ugyldig periode '2024X1'"),
    ]


def test_load_log_and_quarantine_name_every_file(tmp_path: Path):
    folder = tmp_path / "jobindsats"
    folder.mkdir()
    names = sorted(writer(folder).name for writer in WRITERS.values())
    with duckdb.connect(":memory:") as conn:
        create_raw_schema(conn)
        load_extracts(conn, folder)
        log = conn.execute(
            "SELECT file_name, status, rows_read, rows_loaded, rows_quarantined "
            "FROM audit.load_log ORDER BY file_name"
        ).fetchall()
        quarantine = conn.execute(
            "SELECT file_name, row_number, reason FROM audit.quarantine ORDER BY ALL"
        ).fetchall()
    assert log == [(name, "loaded", 6, 4, 2) for name in names]
    assert quarantine == [
        (name, row, reason)
        for name in names
        for row, reason in [(5, "unknown_area"), (6, "invalid_period")]
    ]


def _empty_xlsx(path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Område", "Antal personer"])  # no period column: no table
    workbook.active.append(["Horsens", 5])
    workbook.save(path)


FAILURES = [
    (
        "Y07A02_fejl.json",
        BOM + '{"Forkert nøgle eller nøglen er udløbet.":""}',
        "Y07A02_fejl.json: API-fejlsvar, ikke data: Forkert nøgle eller nøglen er udløbet.",
    ),
    (
        "Y07A02_tom.csv",
        "Sygedagpenge\nKilde: Jobindsats.dk\n",
        "Y07A02_tom.csv: CSV: ingen overskriftsrække med kolonnerne Område og Periode fundet",
    ),
    (
        "Y07A02_tom.xlsx",
        None,
        "Y07A02_tom.xlsx: XLSX: intet ark med en overskriftsrække med kolonnerne Område og Periode",
    ),
    (
        "Y07A02_ukendt.json",
        '{"table": [1, 2]}',
        "Y07A02_ukendt.json: JSON: ukendt struktur "
        "(hverken API v2 {Variables, Data} eller v3 {columns, rows})",
    ),
    (
        "Y07A02_skæv.json",
        '{"columns": ["Område", "Periode", "Antal"], "rows": [["Horsens", "2024M01", 5], [1, 2]]}',
        "Y07A02_skæv.json: JSON: række 2 har 2 værdier, men der er 3 kolonner",
    ),
    (
        "Y07A02_tekst.csv",
        "Område;Periode;Køn\nHorsens;2024M01;Kvinder\n",
        "Y07A02_tekst.csv: ingen målingskolonner (kolonner med tal) fundet",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), FAILURES, ids=[f[0] for f in FAILURES])
def test_an_unusable_file_fails_with_its_name_and_reason(tmp_path: Path, name, text, message):
    path = tmp_path / name
    if text is None:
        _empty_xlsx(path)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(JobindsatsFormatError) as caught:
        parse_extract(path)
    assert str(caught.value) == message
    with duckdb.connect(":memory:") as conn:
        create_raw_schema(conn)
        [result] = load_extracts(conn, tmp_path)
        assert (result.file_name, result.status, result.message) == (name, "failed", message)
        assert conn.execute("SELECT count(*) FROM raw.jobindsats").fetchone() == (0,)
