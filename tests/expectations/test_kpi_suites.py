"""The fct_kpi suites: each contradiction they exist for makes them fail (and a clean table
passes), and the unmatched-targets warning names exactly the targets that apply to nothing."""

from __future__ import annotations

import duckdb
import pytest

from expectations.core import validate
from expectations.suites.kpi import SUITES

SUITE = {s.name: s for s in SUITES}

COLUMNS = """kpi VARCHAR, scope_type VARCHAR, scope_id VARCHAR, period_type VARCHAR,
    period_start DATE, period_end DATE, value DOUBLE, target_value DOUBLE, direction VARCHAR,
    target_met BOOLEAN, scope_name VARCHAR, period_label VARCHAR, unit VARCHAR,
    numerator DOUBLE, denominator DOUBLE, suppressed BOOLEAN, target_source VARCHAR,
    target_period_start DATE, target_period_end DATE"""

CLEAN = [
    # kpi, period_start, value, target, direction, met, unit, numerator, denominator
    ("placements_active", "2025-01-01", 40.0, 40.0, "min", True, "count", None, None),
    ("quota_breaches", "2025-01-01", 0.0, None, None, None, "count", None, None),
    ("quota_workplaces_over_pct", "2025-01-01", 25.0, 30.0, "max", True, "pct", 1.0, 4.0),
    ("quota_workplaces_over_pct", "2025-02-01", None, 30.0, "max", None, "pct", 0.0, 0.0),
    ("sickness_pct_alle", "2025-01-01", 5.5, 5.0, "max", False, "pct", 11.0, 200.0),
]


@pytest.fixture
def conn():
    conn = duckdb.connect()
    for schema in ("marts", "staging", "intermediate"):
        conn.execute(f"CREATE SCHEMA {schema}")
    conn.execute(f"CREATE TABLE marts.fct_kpi ({COLUMNS})")
    conn.execute(
        """CREATE TABLE staging.stg_targets (kpi VARCHAR, scope_type VARCHAR, scope_id VARCHAR,
               period_start DATE, period_end DATE, target_value DOUBLE, direction VARCHAR,
               source VARCHAR, file_row INTEGER)"""
    )
    conn.execute(
        "CREATE TABLE intermediate.int_build AS "
        "SELECT DATE '2025-11-15' AS as_of, DATE '2022-11-01' AS window_start"
    )
    conn.execute("CREATE TABLE intermediate.int_kpi_target_candidates (target_file_row INTEGER)")
    for row in CLEAN:
        _insert(conn, *row)
    return conn


def _insert(conn, kpi, start, value, target, direction, met, unit, numerator, denominator):
    conn.execute(
        """INSERT INTO marts.fct_kpi VALUES (?, 'kommune', '615', 'month', ?,
               last_day(CAST(? AS DATE)), ?, ?, ?, ?, 'Kommunen', '2025-01', ?, ?, ?, false,
               NULL, NULL, NULL)""",
        [kpi, start, start, value, target, direction, met, unit, numerator, denominator],
    )


def _failed(conn, name: str) -> list[str]:
    return [d.expectation + (f"({d.column})" if d.column else "")
            for d in validate(conn, SUITE[name]).failed]  # fmt: skip


def test_a_clean_table_passes_every_suite(conn):
    for name in SUITE:
        assert _failed(conn, name) == [], name


@pytest.mark.parametrize(
    "row",
    [
        # target_met against the direction
        ("placements_active", "2025-03-01", 39.0, 40.0, "min", True, "count", None, None),
        ("sickness_pct_alle", "2025-03-01", 5.0, 5.0, "max", False, "pct", 10.0, 200.0),
        # target_met set without a target, a target without a direction
        ("quota_breaches", "2025-03-01", 1.0, None, None, True, "count", None, None),
        ("quota_breaches", "2025-04-01", 1.0, 2.0, None, None, "count", None, None),
        # a count that is no whole number ≥ 0, or missing
        ("quota_breaches", "2025-05-01", 2.5, None, None, None, "count", None, None),
        ("placements_active", "2025-05-01", None, None, None, None, "count", None, None),
        # a percentage that is not numerator / denominator, or null with a denominator
        ("quota_workplaces_over_pct", "2025-03-01", 30.0, None, None, None, "pct", 1.0, 4.0),
        ("quota_workplaces_over_pct", "2025-04-01", None, None, None, None, "pct", 1.0, 4.0),
        ("sickness_pct_ordinaere", "2025-03-01", -1.0, None, None, None, "pct", -2.0, 200.0),
    ],
)
def test_each_contradiction_fails_the_consistency_suite(conn, row):
    _insert(conn, *row)
    assert _failed(conn, "fct_kpi_consistency") == ["expect_table_row_count_to_equal"]


def test_a_percentage_of_counts_above_100_fails_but_sickness_above_100_only_warns_elsewhere(conn):
    _insert(conn, "sickness_pct_inklusion", "2025-03-01", 120.0, None, None, None, "pct",
            240.0, 200.0)  # fmt: skip
    assert _failed(conn, "fct_kpi_percentages") == []
    _insert(conn, "quota_workplaces_over_pct", "2025-03-01", 125.0, None, None, None, "pct",
            5.0, 4.0)  # fmt: skip
    assert _failed(conn, "fct_kpi_percentages") == ["expect_column_values_to_be_between(value)"]


def test_unknown_codes_and_duplicates_fail_the_structure_suite(conn):
    conn.execute(
        """INSERT INTO marts.fct_kpi SELECT * REPLACE ('ukendt' AS kpi, 'opad' AS direction)
           FROM marts.fct_kpi WHERE kpi = 'placements_active'"""
    )
    conn.execute(
        "INSERT INTO marts.fct_kpi SELECT * FROM marts.fct_kpi WHERE kpi = 'quota_breaches'"
    )
    assert sorted(_failed(conn, "fct_kpi")) == [
        "expect_column_values_to_be_in_set(direction)",
        "expect_column_values_to_be_in_set(kpi)",
        "expect_compound_columns_to_be_unique",
    ]


def test_unmatched_targets_warn_only_for_computed_kpis_in_the_window(conn):
    conn.executemany(
        "INSERT INTO staging.stg_targets VALUES (?, 'area', 'X', ?, ?, 1, 'max', 'HMU', ?)",
        [
            ("placements_active", "2025-01-01", "2025-12-31", 1),  # applies (a candidate)
            ("placements_active", "2025-01-01", "2025-12-31", 2),  # applies to nothing
            ("placements_active", "2019-01-01", "2019-12-31", 3),  # before the window
            ("rettidighed_pct", "2025-01-01", "2025-12-31", 4),  # KPI not computed here
        ],
    )
    conn.execute("INSERT INTO intermediate.int_kpi_target_candidates VALUES (1)")
    result = validate(conn, SUITE["fct_kpi_targets_unmatched"])
    assert not result.success and not result.blocking
    assert conn.execute(SUITE["fct_kpi_targets_unmatched"].sql).fetchall() == [
        ("placements_active", "area", "X", *conn.execute(
            "SELECT DATE '2025-01-01', DATE '2025-12-31'").fetchone(), 1.0, "max", "HMU", 2)
    ]  # fmt: skip
