"""Extracts → load_extracts → dbt → fct_jobindsats and fct_benchmark, checked by hand."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingest.jobindsats.extracts import load_extracts
from tests.support.warehouse import dbt_build, empty_warehouse

pytestmark = pytest.mark.xdist_group("jobindsats")

AS_OF = date(2025, 6, 30)

# January: Horsens and Odder tie at 50 (the first file said Horsens 40; the later file revises it).
FIRST_CSV = (
    "Y07A02 Sygedagpenge\n"
    "Område;Periode;Antal fuldtidspersoner\n"
    "Hele landet;2025M01;1.000\n"
    "Horsens;2025M01;40\n"
    "Aarhus;2025M01;80\n"
    "Odder;2025M01;50\n"
    "Skanderborg Kommune;2025M01;20\n"
    "Vejle;2025M01;..\n"
    "RAR Østjylland;2025M01;300\n"
    "Kilde: Jobindsats.dk\n"
)
REVISION_CSV = "Område;Periode;Antal fuldtidspersoner\nHorsens;2025M01;50\n"
# Q1 as API v3 JSON, with a dimension, a decimal string and a period after as_of.
V3_JSON = {
    "columns": ["Område", "Periode", "Køn", "Andel"],
    "rows": [
        ["Hele landet", "2025K1", "Kvinder", "9,08"],
        ["Horsens", "2025K1", "Kvinder", "8,5"],
        ["Vesthimmerland", "2025K1", "Kvinder", 10.25],
        ["Horsens", "2025M07", "Kvinder", "1,0"],
    ],
}


def query(database: Path, sql: str) -> list[tuple]:
    """Like tests.support.warehouse.query, but read-write: dbt-duckdb keeps its in-process
    connection open, and DuckDB refuses a second connection with another configuration."""
    with duckdb.connect(str(database)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("jobindsats_marts")
    landing = root / "jobindsats"
    landing.mkdir()
    (landing / "Y07A02_2025-02.csv").write_text(FIRST_CSV, encoding="utf-8")
    (landing / "Y07A02_2025-03.csv").write_text(REVISION_CSV, encoding="utf-8")
    (landing / "Y30R21_v3.json").write_text(json.dumps(V3_JSON), encoding="utf-8")
    (landing / "Y07A02_error.json").write_text('{"Forkert nøgle eller nøglen er udløbet.":""}')
    database = empty_warehouse(root / "warehouse.duckdb")
    with duckdb.connect(str(database)) as conn:
        load_extracts(conn, landing)
    # Build our marts and what they need; "cautious" keeps other models' tests out.
    previous = os.environ.get("DBT_INDIRECT_SELECTION")
    os.environ["DBT_INDIRECT_SELECTION"] = "cautious"
    try:
        dbt_build(database, AS_OF, select=["+fct_benchmark", "+fct_jobindsats", "+stg_kommuner"])
    finally:
        if previous is None:
            os.environ.pop("DBT_INDIRECT_SELECTION", None)
        else:
            os.environ["DBT_INDIRECT_SELECTION"] = previous
    return database


def test_load_log_of_the_landing_folder(warehouse: Path):
    rows = query(
        warehouse,
        "SELECT file_name, register, status, rows_read, rows_loaded, rows_quarantined "
        "FROM audit.load_log ORDER BY file_name",
    )
    assert rows == [
        ("Y07A02_2025-02.csv", "Y07A02", "loaded", 7, 7, 0),
        ("Y07A02_2025-03.csv", "Y07A02", "loaded", 1, 1, 0),
        ("Y07A02_error.json", "Y07A02", "failed", 0, 0, 0),
        ("Y30R21_v3.json", "Y30R21", "loaded", 4, 4, 0),
    ]


def test_fct_jobindsats_holds_the_latest_value_per_cell(warehouse: Path):
    rows = query(
        warehouse,
        "SELECT area_name, municipality_code, area_level, value, suppressed, source_file "
        "FROM marts.fct_jobindsats WHERE table_id = 'Y07A02' ORDER BY area_name",
    )
    assert rows == [
        ("Aarhus", "751", "kommune", 80.0, False, "Y07A02_2025-02.csv"),
        ("Hele landet", None, "land", 1000.0, False, "Y07A02_2025-02.csv"),
        ("Horsens", "615", "kommune", 50.0, False, "Y07A02_2025-03.csv"),  # revised 40 → 50
        ("Odder", "727", "kommune", 50.0, False, "Y07A02_2025-02.csv"),
        ("RAR Østjylland", None, "rar", 300.0, False, "Y07A02_2025-02.csv"),
        ("Skanderborg Kommune", "746", "kommune", 20.0, False, "Y07A02_2025-02.csv"),
        ("Vejle", "630", "kommune", None, True, "Y07A02_2025-02.csv"),
    ]


def test_fct_jobindsats_periods_and_dimensions(warehouse: Path):
    rows = query(
        warehouse,
        "SELECT area_name, period_code, period_type, period_start, period_end, dimensions, value "
        "FROM marts.fct_jobindsats WHERE table_id = 'Y30R21' ORDER BY area_name",
    )
    # 2025M07 starts after as_of (2025-06-30) and is left out.
    quarter = ("2025K1", "quarter", date(2025, 1, 1), date(2025, 3, 31), '{"Køn": "Kvinder"}')
    assert rows == [
        ("Hele landet", *quarter, 9.08),
        ("Horsens", *quarter, 8.5),
        ("Vesthimmerland", *quarter, 10.25),
    ]


def test_fct_benchmark_by_hand(warehouse: Path):
    rows = query(
        warehouse,
        "SELECT municipality_code, value, rank_desc, n_municipalities, round(percentile, 4), "
        "national_value, diff_to_national FROM marts.fct_benchmark "
        "WHERE table_id = 'Y07A02' ORDER BY rank_desc NULLS LAST, municipality_code",
    )
    # n = 4 with a value (Vejle suppressed, RAR not ranked): 80 → 1; 50, 50 → 2; 20 → 4.
    # percentile = 100 × (4 − rank) / 3; diff = value − 1000.
    assert rows == [
        ("751", 80.0, 1, 4, 100.0, 1000.0, -920.0),
        ("615", 50.0, 2, 4, 66.6667, 1000.0, -950.0),
        ("727", 50.0, 2, 4, 66.6667, 1000.0, -950.0),
        ("746", 20.0, 4, 4, 0.0, 1000.0, -980.0),
        ("630", None, None, 4, None, 1000.0, None),
    ]


def test_fct_benchmark_percentages(warehouse: Path):
    rows = query(
        warehouse,
        "SELECT municipality_code, rank_desc, percentile, round(diff_to_national, 2) "
        "FROM marts.fct_benchmark WHERE table_id = 'Y30R21' ORDER BY rank_desc",
    )
    # Vesthimmerland 10.25 > Horsens 8.5; n = 2; diffs to 9.08: +1.17 and −0.58.
    assert rows == [("820", 1, 100.0, 1.17), ("615", 2, 0.0, -0.58)]
