"""Hand-written jobindsats.dk extracts in every format → long normalised facts (§3.4, E19–E21)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ingest.jobindsats.areas import default_area_index
from ingest.jobindsats.extracts import JobindsatsFormatError, parse_extract, read_extract
from ingest.jobindsats.periods import parse_period
from ingest.jobindsats.values import parse_value

WEB_CSV = (
    "Sygedagpenge: Antal personer og fuldtidspersoner\n"
    "Udtrukket fra Jobindsats.dk 12-03-2025\n"
    "\n"
    "Område;Periode;Køn;Antal personer;Antal fuldtidspersoner;Andel (pct.)\n"
    'Hele landet;2024M01;Kvinder;81.230;1.234,5;"9,08"\n'
    "Horsens Kommune;2024M01;Kvinder;..;-;9,5\n"
    "Vesthimmerland;2024K1;Mænd;1.234;20,0;.\n"
    "RAR Østjylland;2022QMAT04;Mænd;;5;1\n"
    "\n"
    "Kilde: Jobindsats.dk; STAR\n"
    "Anm.: Tal er afrundede\n"
)


def facts_by(frame, **where) -> list[dict]:
    rows = frame.to_dicts()
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def one(frame, **where) -> dict:
    rows = facts_by(frame, **where)
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def web_csv(tmp_path: Path) -> Path:
    path = tmp_path / "Y07A02_sygedagpenge.csv"
    path.write_bytes("\ufeff".encode() + WEB_CSV.encode("utf-8"))  # with a UTF-8 BOM
    return path


def test_csv_with_title_lines_bom_and_footnotes(web_csv: Path):
    result = parse_extract(web_csv)
    # 4 data rows; the footnotes after the blank line are not rows; 3 measures each.
    assert result.rows_read == 4 and result.rows_quarantined == 0
    assert result.table_ids == ["Y07A02"]
    facts = result.facts
    assert facts.height == 4 * 3
    assert set(facts["measure"]) == {"Antal personer", "Antal fuldtidspersoner", "Andel (pct.)"}
    # "Køn" is a dimension; keys sorted, values as written.
    assert set(facts["dimensions"]) == {'{"Køn": "Kvinder"}', '{"Køn": "Mænd"}'}
    national = facts_by(facts, area_name="Hele landet")[0]
    assert national["area_level"] == "land" and national["municipality_code"] is None
    assert one(facts, area_name="Hele landet", measure="Antal personer")["value"] == 81230.0
    assert one(facts, area_name="Hele landet", measure="Antal fuldtidspersoner")["value"] == 1234.5
    assert one(facts, area_name="Hele landet", measure="Andel (pct.)")["value"] == 9.08


def test_suppressed_cells_are_null_never_zero(web_csv: Path):
    facts = read_extract(web_csv)
    horsens_persons = one(facts, area_name="Horsens Kommune", measure="Antal personer")  # ".."
    horsens_fte = one(facts, area_name="Horsens Kommune", measure="Antal fuldtidspersoner")  # "-"
    rar_persons = one(facts, area_name="RAR Østjylland", measure="Antal personer")  # empty
    vest_pct = one(facts, area_name="Vesthimmerland", measure="Andel (pct.)")  # "."
    for row in (horsens_persons, horsens_fte, rar_persons, vest_pct):
        assert row["suppressed"] is True and row["value"] is None
    assert facts.filter(facts["suppressed"])["value"].null_count() == 4
    assert (facts.filter(~facts["suppressed"])["value"].is_null()).sum() == 0


def test_areas_aliases_and_kommune_suffix(web_csv: Path):
    facts = read_extract(web_csv)
    horsens = one(facts, area_name="Horsens Kommune", measure="Andel (pct.)")
    assert (horsens["area_level"], horsens["municipality_code"]) == ("kommune", "615")
    vest = one(facts, area_name="Vesthimmerland", measure="Antal personer")
    assert (vest["area_level"], vest["municipality_code"], vest["value"]) == (
        "kommune",
        "820",
        1234,
    )
    rar = one(facts, area_name="RAR Østjylland", measure="Antal fuldtidspersoner")
    assert (rar["area_level"], rar["municipality_code"]) == ("rar", None)


def test_periods_in_the_extract(web_csv: Path):
    facts = read_extract(web_csv)
    vest = one(facts, area_name="Vesthimmerland", measure="Antal personer")
    assert (vest["period_code"], vest["period_type"]) == ("2024K1", "quarter")
    assert (vest["period_start"], vest["period_end"]) == (date(2024, 1, 1), date(2024, 3, 31))
    rar = one(facts, area_name="RAR Østjylland", measure="Antal personer")
    # QMAT04 of 2022 = the 12 months ending with Q4 2022, not a month.
    assert (rar["period_type"], rar["period_start"], rar["period_end"]) == (
        "qmat",
        date(2022, 1, 1),
        date(2022, 12, 31),
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2024M01", ("month", date(2024, 1, 1), date(2024, 1, 31))),
        ("2024M02", ("month", date(2024, 2, 1), date(2024, 2, 29))),  # leap year
        ("2024Q1", ("quarter", date(2024, 1, 1), date(2024, 3, 31))),
        ("2024K4", ("quarter", date(2024, 10, 1), date(2024, 12, 31))),
        # 12 months ending with Q2 2022: July 2021 .. June 2022.
        ("2022QMAT02", ("qmat", date(2021, 7, 1), date(2022, 6, 30))),
        ("2022QMAT01", ("qmat", date(2021, 4, 1), date(2022, 3, 31))),
        ("2024", ("year", date(2024, 1, 1), date(2024, 12, 31))),
        ("2024Y01", ("year", date(2024, 1, 1), date(2024, 12, 31))),
        ("2024MYTD03", ("mytd", date(2024, 1, 1), date(2024, 3, 31))),
    ],
)
def test_period_codes(code, expected):
    period = parse_period(code)
    assert period is not None
    assert (period.period_type, period.start, period.end) == expected
    assert period.code == code


@pytest.mark.parametrize("code", ["2024M13", "2024M00", "2024Q5", "2024QMAT05", "24M01", "jan", ""])
def test_invalid_period_codes(code):
    assert parse_period(code) is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.234,5", (1234.5, False)),
        ("9,08", (9.08, False)),
        ("1.234", (1234.0, False)),
        ("1.234.567", (1234567.0, False)),
        ("-3,5", (-3.5, False)),
        ("120", (120.0, False)),
        (1.234, (1.234, False)),  # a JSON number is taken as it is
        (7, (7.0, False)),
        ("-", (None, True)),
        (".", (None, True)),
        ("..", (None, True)),
        ("", (None, True)),
        (None, (None, True)),
    ],
)
def test_values(cell, expected):
    assert parse_value(cell) == expected


def test_unknown_area_and_invalid_period_quarantine_the_row(tmp_path: Path):
    path = tmp_path / "Y07A02_bad.csv"
    path.write_text(
        "Område;Periode;Antal personer\n"
        "Horsens;2024M01;10\n"
        "Narnia;2024M01;20\n"
        "Aarhus;2024M13;30\n"
        "Atlantis;foo;40\n",
        encoding="utf-8",
    )
    result = parse_extract(path)
    assert (result.rows_read, result.rows_quarantined, result.rows_loaded) == (4, 3, 1)
    assert result.facts["area_name"].to_list() == ["Horsens"]
    q = result.quarantine.sort("row_number", "reason").to_dicts()
    assert [(r["row_number"], r["reason"], r["column_name"]) for r in q] == [
        (2, "unknown_area", "Område"),
        (3, "invalid_period", "Periode"),
        (4, "invalid_period", "Periode"),
        (4, "unknown_area", "Område"),
    ]
    assert all(r["severity"] == "error" and r["register"] == "Y07A02" for r in q)


def test_xlsx_with_header_on_row_4(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Y08A02: Fleksjob"])
    sheet.append(["Udtræk fra Jobindsats.dk"])
    sheet.append([])
    sheet.append(["Område", "Periode", "Ydelsesgrupper", "Antal personer"])
    sheet.append(["Hele landet", "2024Q1", "Fleksjob", 71230])
    sheet.append(["Horsens", "2024Q1", "Fleksjob", "1.234"])
    sheet.append(["Århus", "2024Q1", "Fleksjob", ".."])
    sheet.append(["Kilde: Jobindsats.dk"])
    path = tmp_path / "fleksjob_export.xlsx"
    workbook.save(path)

    result = parse_extract(path)
    assert result.table_ids == ["Y08A02"]  # from the title line, the file name has none
    facts = result.facts
    assert facts.height == 3
    assert one(facts, area_name="Hele landet")["value"] == 71230.0
    assert one(facts, area_name="Horsens")["value"] == 1234.0
    aarhus = one(facts, area_name="Århus")
    assert (aarhus["municipality_code"], aarhus["suppressed"]) == ("751", True)
    assert aarhus["dimensions"] == '{"Ydelsesgrupper": "Fleksjob"}'


def test_api_v2_json(tmp_path: Path):
    payload = [
        {
            "TableID": "y07a02",
            "Variables": [
                {"Name": "area", "Label": "Område"},
                {"Name": "period", "Label": "Periode"},
                {"Name": "_ygrp", "Label": "Ydelsesgrupper"},
                {"Name": "y07a02_antal", "Label": "Antal personer"},
                {"Name": "y07a02_pct", "Label": "Andel"},
            ],
            "Data": [
                ["Hele landet", "2024M01", "Sygedagpenge", "81.230", "9,08"],
                ["Horsens", "2024M01", "Sygedagpenge", 950, 1.5],
                ["Vesthimmerland", "2024M01", "Sygedagpenge", "..", "-"],
            ],
        }
    ]
    path = tmp_path / "sygedagpenge_api.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    facts = read_extract(path)
    assert set(facts["table_id"]) == {"Y07A02"}  # from the payload
    assert one(facts, area_name="Hele landet", measure="Antal personer")["value"] == 81230.0
    assert one(facts, area_name="Hele landet", measure="Andel")["value"] == 9.08
    assert one(facts, area_name="Horsens", measure="Andel")["value"] == 1.5
    vest = one(facts, area_name="Vesthimmerland", measure="Antal personer")
    assert (vest["municipality_code"], vest["value"], vest["suppressed"]) == ("820", None, True)


def test_api_v3_json(tmp_path: Path):
    payload = {
        "columns": ["Area", "Period", "Køn", "Antal fuldtidspersoner"],
        "rows": [
            ["Hele landet", "2023QMAT04", "I alt", 51234.5],
            ["Horsens", "2023QMAT04", "I alt", "612,4"],
            ["Odder", "2023QMAT04", "I alt", None],
        ],
    }
    path = tmp_path / "Y07A02_v3.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    facts = read_extract(path)
    assert one(facts, area_name="Horsens")["value"] == 612.4
    assert one(facts, area_name="Hele landet")["value"] == 51234.5
    odder = one(facts, area_name="Odder")
    assert (odder["municipality_code"], odder["suppressed"]) == ("727", True)
    assert set(facts["period_start"]) == {date(2023, 1, 1)}


def test_error_payload_fails_the_file(tmp_path: Path):
    path = tmp_path / "Y07A02_error.json"
    path.write_text('{"Forkert nøgle eller nøglen er udløbet.":""}', encoding="utf-8")
    with pytest.raises(JobindsatsFormatError, match="Forkert nøgle"):
        read_extract(path)


@pytest.mark.parametrize(
    "text",
    ['{"hello": [1, 2]}', "[]", "[1, 2]", '{"columns": ["Område"], "rows": 5}', "not json"],
)
def test_unknown_json_shape_fails_the_file(tmp_path: Path, text: str):
    path = tmp_path / "Y07A02_odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JobindsatsFormatError):
        read_extract(path)


def test_missing_table_id_fails_the_file(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text("Område;Periode;Antal personer\nHorsens;2024M01;5\n", encoding="utf-8")
    with pytest.raises(JobindsatsFormatError, match="tabel-id"):
        read_extract(path)


def test_a_column_with_text_is_a_dimension_even_if_it_has_numbers(tmp_path: Path):
    path = tmp_path / "Y14D03_tilbud.csv"
    path.write_text(
        "Område;Periode;Alder;Antal personer\nHorsens;2024M01;16-24 år;5\nHorsens;2024M01;25;7\n",
        encoding="utf-8",
    )
    facts = read_extract(path)
    assert facts["measure"].to_list() == ["Antal personer", "Antal personer"]
    assert facts["dimensions"].to_list() == ['{"Alder": "16-24 år"}', '{"Alder": "25"}']


def test_same_cell_twice_in_one_file_later_row_wins(tmp_path: Path):
    path = tmp_path / "Y07A02_dup.csv"
    path.write_text(
        "Område;Periode;Antal personer\nHorsens;2024M01;5\nHorsens;2024M01;7\n", encoding="utf-8"
    )
    result = parse_extract(path)
    assert result.facts["value"].to_list() == [7.0]
    assert result.quarantine.select("row_number", "severity", "reason").rows() == [
        (1, "warning", "duplicate_cell")
    ]


def test_all_98_municipalities_resolve_by_their_jobindsats_name():
    import csv

    from ingest.jobindsats.areas import KOMMUNER_CSV

    index = default_area_index()
    with KOMMUNER_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 98
    for row in rows:
        area = index.resolve(row["jobindsats_name"])
        assert area is not None and area.municipality_code == row["municipality_code"]
        upper = index.resolve(row["name"].upper() + " KOMMUNE")
        assert upper is not None and upper.municipality_code == row["municipality_code"]


def test_file_name_table_id_wins_over_a_title_line(tmp_path: Path):
    path = tmp_path / "Y07A07_varighed.csv"
    path.write_text(
        "Se også Y07A02 for antal personer\nOmråde;Periode;Varighed\nHorsens;2024;12,5\n",
        encoding="utf-8",
    )
    assert parse_extract(path).table_ids == ["Y07A07"]


def test_windows_1252_and_tab_separated_exports(tmp_path: Path):
    path = tmp_path / "Y07A02_gammel.csv"
    path.write_bytes("Område\tPeriode\tAntal personer\nÆrø\t2024M01\t1.234\n".encode("cp1252"))
    facts = read_extract(path)
    assert facts.select("area_name", "municipality_code", "value").rows() == [
        ("Ærø", "492", 1234.0)
    ]
