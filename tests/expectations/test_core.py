"""The GX runner on small hand-made frames and tables: pass percentages, masking, severity."""

from __future__ import annotations

from datetime import datetime

import duckdb
import great_expectations as gx
import pandas as pd
import pytest

from expectations.core import Suite, fetch_frame, validate, validate_frame
from expectations.suites import all_suites
from expectations.suites.raw import SUITES as RAW_SUITES
from ingest.raw_schema import create_raw_schema

KEY = "0123456789abcdef" * 4  # a valid 64-hex person_key


def _hours_suite(**kwargs) -> Suite:
    return Suite(
        name="hours",
        table="raw.engagements",
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="weekly_hours", min_value=0, max_value=48, strict_min=True
            )
        ],
        **kwargs,
    )


def test_pass_percentage_and_masked_sample_rows():
    # 4 rows, hours 37, 0, 50, 20: 0 (strict min) and 50 (> 48) fail → 2 of 4 pass = 50 %.
    frame = pd.DataFrame(
        {
            "engagement_id": ["e1", "e2", "e3", "e4"],
            "weekly_hours": [37.0, 0.0, 50.0, 20.0],
            "note": ["ok", "cpr 010190-1234 i tekst", "0101901234", "ok"],
        }
    )
    result = validate_frame(frame, _hours_suite())
    assert not result.success
    (detail,) = result.details
    assert detail.pass_pct == 50.0
    assert detail.unexpected_count == 2
    assert [r["engagement_id"] for r in detail.sample_rows] == ["e2", "e3"]
    assert detail.sample_rows[0]["note"] == "cpr 010190-**** i tekst"
    assert detail.sample_rows[1]["note"] == "010190-****"
    assert "010190-1234" not in result.summary() and "0101901234" not in result.summary()


def test_blocking_suite_is_fatal_and_non_blocking_a_warning():
    frame = pd.DataFrame({"weekly_hours": [60.0]})
    assert validate_frame(frame, _hours_suite()).severity == "fatal"
    result = validate_frame(frame, _hours_suite(blocking=False))
    assert result.severity == "warning" and not result.success
    assert "advarsel" in result.summary()


def test_a_warning_expectation_is_reported_but_does_not_fail_the_suite():
    suite = Suite(
        name="mixed",
        table="raw.engagements",
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeBetween(column="weekly_hours", max_value=48),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="weekly_hours", max_value=30, severity="warning"
            ),
        ],
    )
    # hours 37 and 20: the first passes for both; the warning (≤ 30) fails for 37 → 50 %.
    result = validate_frame(pd.DataFrame({"weekly_hours": [37.0, 20.0]}), suite)
    assert result.success
    assert [(d.severity, d.pass_pct) for d in result.details] == [
        ("critical", 100.0),
        ("warning", 50.0),
    ]


def test_query_of_violating_rows_must_be_empty():
    conn = duckdb.connect()
    conn.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 5), (2, -1), (3, -7)) v(id, n)")
    suite = Suite(
        name="no_negative",
        table="main.t",
        query="SELECT * FROM t WHERE n < 0 ORDER BY id",
        expectations=lambda: [gx.expectations.ExpectTableRowCountToEqual(value=0)],
    )
    result = validate(conn, suite)
    (detail,) = result.details
    assert not result.success and detail.pass_pct == 0.0 and detail.observed == "2"
    assert [r["id"] for r in detail.sample_rows] == ["2", "3"]


def test_date_bounds_take_datetime_objects():
    conn = duckdb.connect()
    conn.execute(
        "CREATE TABLE d AS SELECT * FROM (VALUES (DATE '2024-01-31'), (DATE '2026-01-01')) v(day)"
    )
    suite = Suite(
        name="dates",
        table="main.d",
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="day", min_value=datetime(2020, 1, 1), max_value=datetime(2025, 11, 15)
            )
        ],
    )
    (detail,) = validate(conn, suite).details
    assert detail.pass_pct == 50.0
    assert detail.sample_rows == [{"day": "2026-01-01"}]


@pytest.fixture
def raw_conn():
    conn = duckdb.connect()
    create_raw_schema(conn)
    return conn


def _engagement(conn, engagement_id, person_key, kind="ordinaer", hours=37.0, end="NULL"):
    conn.execute(
        "INSERT INTO raw.engagements VALUES (?, ?, DATE '1980-01-01', 'u1', ?, ?, "
        f"DATE '2020-01-01', {end}, NULL, NULL, NULL, 'engagements.csv', 1)",
        [engagement_id, person_key, kind, hours],
    )


def test_raw_engagements_suite_passes_on_clean_rows(raw_conn):
    _engagement(raw_conn, "e1", KEY)
    _engagement(raw_conn, "e2", KEY, kind="fleksjob", hours=12.5, end="DATE '2020-01-01'")
    engagements = next(s for s in RAW_SUITES if s.table == "raw.engagements")
    result = validate(raw_conn, engagements)
    assert result.success, result.summary()
    assert all(d.pass_pct == 100.0 for d in result.details)


def test_raw_engagements_suite_catches_a_cpr_shaped_key_and_unknown_type(raw_conn):
    _engagement(raw_conn, "e1", KEY)
    _engagement(raw_conn, "e2", "0101901234", kind="direktoer")
    engagements = next(s for s in RAW_SUITES if s.table == "raw.engagements")
    result = validate(raw_conn, engagements)
    failed = {(d.expectation, d.column): d for d in result.failed}
    assert set(failed) == {
        ("expect_column_values_to_match_regex", "person_key"),
        ("expect_column_values_to_be_in_set", "engagement_type"),
    }
    # 1 of 2 rows fails each → 50 %; the sample row shows the key masked.
    assert all(d.pass_pct == 50.0 for d in failed.values())
    sample = failed[("expect_column_values_to_match_regex", "person_key")].sample_rows
    assert sample[0]["person_key"] == "010190-****"


def _placement(conn, placement_id, scheme="loentilskud", hours="NULL", end="NULL"):
    conn.execute(
        f"INSERT INTO raw.placements VALUES (?, ?, DATE '1980-01-01', 'u1', ?, NULL, {hours},"
        f" DATE '2024-01-01', NULL, {end}, NULL, NULL, 'placements.csv', 1)",
        [placement_id, KEY, scheme],
    )


def test_raw_placements_suite_allows_missing_hours_and_catches_what_ingest_must_stop(raw_conn):
    placements = next(s for s in RAW_SUITES if s.table == "raw.placements")
    _placement(raw_conn, "p1")  # no hours → FTE 1.0, valid (§3.3)
    _placement(raw_conn, "p2", hours="48", end="DATE '2024-01-01'")  # one-day placement
    assert validate(raw_conn, placements).success
    _placement(raw_conn, "p3", scheme="praktik", hours="60", end="DATE '2023-12-31'")
    _placement(raw_conn, "p1", hours="0")  # the key again
    failed = {(d.expectation, d.column) for d in validate(raw_conn, placements).failed}
    assert failed == {
        ("expect_column_values_to_be_between", "weekly_hours"),
        ("expect_column_values_to_be_in_set", "scheme"),
        ("expect_column_values_to_be_unique", "placement_id"),
        ("expect_column_pair_values_a_to_be_greater_than_b", None),
    }


def test_discovery_finds_every_suite_module_with_unique_names():
    suites = all_suites()
    names = [s.name for s in suites]
    assert len(names) == len(set(names))
    assert {"raw_engagements", "raw_placements", "fct_placements_monthly"} <= set(names)
    for suite in suites:
        assert len(suite.asset_key_path) == 2, suite.table
        # expectations() builds fresh objects: GX binds an expectation to one suite only
        first, second = suite.expectations(), suite.expectations()
        assert first and all(a is not b for a, b in zip(first, second, strict=True))


def test_a_suite_pulls_only_the_columns_its_expectations_name():
    """A mart is pulled into pandas outside DuckDB's memory limit, so only the columns the
    expectations read are selected; an expectation on the table's columns needs them all."""
    conn = duckdb.connect()
    conn.execute(
        "create schema marts; create table marts.t as select range as id, range * 2 as hours, "
        "repeat('x', 100) as wide_text from range(10)"
    )
    suite = Suite(
        name="t",
        table="marts.t",
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeUnique(column="id"),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="hours", min_value=0, max_value=10
            ),
            gx.expectations.ExpectTableRowCountToEqual(value=10),
        ],
    )
    assert suite.sql == 'SELECT "id", "hours" FROM marts.t'
    result = validate(conn, suite)
    (_, between, _) = result.details
    assert between.unexpected_count == 4  # hours 12, 14, 16, 18
    assert {row["id"] for row in between.sample_rows} == {"6", "7", "8", "9"}
    assert all("wide_text" not in row for row in between.sample_rows)
    rows_only = Suite(
        name="n",
        table="marts.t",
        expectations=lambda: [gx.expectations.ExpectTableRowCountToEqual(value=10)],
    )
    assert rows_only.sql == "SELECT 1 AS row_present FROM marts.t"
    assert validate(conn, rows_only).success
    every_column = Suite(
        name="c",
        table="marts.t",
        expectations=lambda: [
            gx.expectations.ExpectTableColumnsToMatchSet(column_set=["id", "hours", "wide_text"])
        ],
    )
    assert every_column.sql == "SELECT * FROM marts.t"
    assert validate(conn, every_column).success


@pytest.mark.parametrize("where", ["true", "false"], ids=["rows", "empty"])
def test_the_arrow_fetch_gives_the_frame_duckdb_itself_gives(where):
    """Suites validate a frame fetched through Arrow (a third of `.df()`'s memory at national
    size); GX must see the same dtypes and values as with DuckDB's own `.df()`: dates as
    datetime64, decimals as floats, integers and booleans with NULL as pandas' NA types."""
    conn = duckdb.connect()
    conn.execute(
        """create table t as select * from (values
            ('a', date '2025-01-31', 1.25::decimal(9, 2), 1, 7::tinyint, true, 2.5, null::int,
             timestamp '2025-01-31 10:00', 3::ubigint),
            (null, null, null, null, 8::tinyint, null, null, null, null, 4::ubigint),
            ('c', date '2024-12-01', 3.50::decimal(18, 6), 3, 9::tinyint, false, null, null,
             null, null)
        ) v(text, day, amount, counted, small, flag, share, all_null, stamp, big)"""
    )
    sql = f"select * from t where {where}"
    expected = conn.sql(sql).df()
    fetched = fetch_frame(conn, sql)
    pd.testing.assert_frame_equal(fetched, expected)
    if where == "true":  # the cases the conversion is there for
        assert str(fetched["day"].dtype) == "datetime64[us]"
        assert str(fetched["amount"].dtype) == "float64"
        assert str(fetched["counted"].dtype) == "Int32"
        assert str(fetched["flag"].dtype) == "boolean"
        assert str(fetched["big"].dtype) == "UInt64"
