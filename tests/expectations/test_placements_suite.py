"""The fct_placements_monthly suite: null benefit_group is its own grain value (E11)."""

from __future__ import annotations

import duckdb
import pytest

from expectations.core import validate
from expectations.suites.placements import SUITES

SUITE = SUITES[0]


@pytest.fixture
def conn():
    conn = duckdb.connect()
    conn.execute("CREATE SCHEMA marts")
    conn.execute(
        """CREATE TABLE marts.fct_placements_monthly (
            month_end DATE, org_unit_id VARCHAR, workplace_id VARCHAR, scheme VARCHAR,
            benefit_group VARCHAR, active_persons BIGINT, active_fte DOUBLE,
            starts BIGINT, ends BIGINT)"""
    )
    return conn


def _row(conn, benefit_group, persons=1, fte=0.5):
    conn.execute(
        "INSERT INTO marts.fct_placements_monthly VALUES "
        "(DATE '2025-01-31', 'u1', 'w1', 'loentilskud', ?, ?, ?, 0, 0)",
        [benefit_group, persons, fte],
    )


def _failed(result) -> set[tuple[str, str | None]]:
    return {(d.expectation, d.column) for d in result.failed}


def test_null_and_a_value_are_two_grain_rows(conn):
    _row(conn, None)
    _row(conn, "a_dagpenge")
    assert validate(conn, SUITE).success


def test_two_null_benefit_groups_in_one_grain_are_a_duplicate(conn):
    _row(conn, None)
    _row(conn, None)
    assert _failed(validate(conn, SUITE)) == {("expect_compound_columns_to_be_unique", None)}


def test_negative_measures_fail(conn):
    _row(conn, "a_dagpenge", persons=-1, fte=-0.1)
    assert _failed(validate(conn, SUITE)) == {
        ("expect_column_values_to_be_between", "active_persons"),
        ("expect_column_values_to_be_between", "active_fte"),
    }
