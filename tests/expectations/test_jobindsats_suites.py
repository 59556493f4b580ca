"""The jobindsats GX suites on hand-made mart tables.

A right benchmark passes; each wrong one fails.
"""

from __future__ import annotations

import duckdb
import pytest

from expectations.core import validate
from expectations.suites.jobindsats import SUITES

SUITE = {s.name: s for s in SUITES}

BENCHMARK_DDL = """
CREATE SCHEMA marts;
CREATE TABLE marts.fct_benchmark (
    table_id VARCHAR, measure VARCHAR, period_code VARCHAR, dimensions VARCHAR,
    municipality_code VARCHAR, value DOUBLE, rank_desc BIGINT, n_municipalities BIGINT,
    percentile DOUBLE, national_value DOUBLE, diff_to_national DOUBLE
);
"""

# Three municipalities with values 80, 50, 20 and one suppressed; national 1000.
# Ranks 1, 2, 3 of n = 3; percentile 100·(n − rank)/(n − 1) = 100, 50, 0; diff = value − 1000.
GOOD_ROWS = [
    ("751", 80.0, 1, 3, 100.0, 1000.0, -920.0),
    ("615", 50.0, 2, 3, 50.0, 1000.0, -950.0),
    ("746", 20.0, 3, 3, 0.0, 1000.0, -980.0),
    ("630", None, None, 3, None, 1000.0, None),
]


def _benchmark(rows) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute(BENCHMARK_DDL)
    conn.executemany(
        "INSERT INTO marts.fct_benchmark VALUES ('Y07A02', 'Antal personer', '2024M01', '{}', "
        "?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return conn


def test_a_correct_benchmark_passes_both_suites():
    conn = _benchmark(GOOD_ROWS)
    assert validate(conn, SUITE["fct_benchmark"]).success
    assert validate(conn, SUITE["fct_benchmark_consistency"]).success


@pytest.mark.parametrize(
    ("row", "suite"),
    [
        # Rank 4 of 3 municipalities with a value.
        (("101", 10.0, 4, 3, 0.0, 1000.0, -990.0), "fct_benchmark_consistency"),
        # A suppressed municipality with a rank.
        (("101", None, 1, 3, None, 1000.0, None), "fct_benchmark_consistency"),
        # diff_to_national not value − national_value.
        (("101", 10.0, 3, 3, 0.0, 1000.0, 10.0), "fct_benchmark_consistency"),
        # Percentile above 100.
        (("101", 10.0, 3, 3, 120.0, 1000.0, -990.0), "fct_benchmark"),
        # The same municipality twice in one cell.
        (("615", 10.0, 3, 3, 0.0, 1000.0, -990.0), "fct_benchmark"),
    ],
)
def test_each_contradiction_fails_its_suite(row, suite):
    conn = _benchmark([*GOOD_ROWS, row])
    result = validate(conn, SUITE[suite])
    assert not result.success
    assert result.blocking


def test_a_suppressed_fact_with_a_value_fails():
    conn = duckdb.connect()
    conn.execute(
        "CREATE SCHEMA marts; CREATE TABLE marts.fct_jobindsats AS SELECT "
        "'Y07A02' AS table_id, 'Antal personer' AS measure, 'Horsens' AS area_name, "
        "'615' AS municipality_code, 'kommune' AS area_level, '2024M01' AS period_code, "
        "'month' AS period_type, DATE '2024-01-01' AS period_start, "
        "DATE '2024-01-31' AS period_end, "
        "'{}' AS dimensions, 0.0 AS value, true AS suppressed, 'Y07A02_a.csv' AS source_file"
    )
    assert validate(conn, SUITE["fct_jobindsats"]).success
    result = validate(conn, SUITE["fct_jobindsats_consistency"])
    assert not result.success
    assert result.details[0].sample_rows[0]["area_name"] == "Horsens"
    conn.execute("UPDATE marts.fct_jobindsats SET value = NULL")
    assert validate(conn, SUITE["fct_jobindsats_consistency"]).success
