"""The jobcentre GX suites on hand-made mart tables (values as §5.5–5.6 give them).

Correct rows pass every suite; each contradiction fails the suite that guards it, blocking.
as_of 2025-06-15, window from 2022-06-01, default retention rules.
"""

from __future__ import annotations

import duckdb
import pytest

from expectations.core import validate
from expectations.suites.jobcenter import SUITES

SUITE = {s.name: s for s in SUITES}

BUILD = """
CREATE SCHEMA intermediate;
CREATE TABLE intermediate.int_build AS SELECT DATE '2025-06-15' AS as_of,
    DATE '2022-06-01' AS window_start, 26 AS retention_weeks, 13 AS retention_retained_weeks,
    90 AS placement_followup_days, 28 AS employment_min_days;
CREATE SCHEMA marts;
"""

RETENTION_COLUMNS = (
    "engagement_id, person_key, engagement_type, org_unit_id, start_date, preceded_by_placement, "
    "weeks_observed, weeks_employed, retained_13_of_26, window_complete, workplace_id, "
    "staff_group, preceding_placement_id, preceding_scheme, preceding_benefit_group"
)
# From 2025-01-06 the weeks ending ≤ as_of are 0 … 22 (23 observed, window not complete).
RETENTION = [
    "('e1', 'p', 'fleksjob', 'U', DATE '2025-01-06', false, 23, 20, true, false, 'W', "
    "'inklusion', NULL, NULL, NULL)",
    "('e2', 'q', 'ordinaer', 'U', DATE '2024-01-01', true, 26, 10, false, true, 'W', "
    "'ordinaere', 'x1', 'nyttejob', 'a_dagpenge')",
]

OUTCOME_COLUMNS = (
    "placement_id, person_key, scheme, benefit_group, workplace_id, end_date, employed_after, "
    "first_engagement_type, days_to_employment, window_complete, start_date, org_unit_id, "
    "end_reason, first_engagement_id"
)
OUTCOMES = [
    "('P1', 'p', 'virksomhedspraktik', 'a_dagpenge', 'W', DATE '2025-01-31', true, 'ordinaer', "
    "90, true, DATE '2024-11-01', 'W', 'gennemfoert', 'E1')",
    "('P2', 'q', 'nyttejob', NULL, NULL, DATE '2025-05-31', false, NULL, NULL, false, "
    "DATE '2025-03-01', 'X', NULL, NULL)",
]

FOLLOWUP_COLUMNS = (
    "case_id, person_key, rule_version, due_no, due_date, held_date, status, days_late, due_kind, "
    "category_at_due, first_absence_date, case_end_date, fast_track_applied, employment_status"
)
FOLLOWUP = [
    "('A', 'p', 'sdp_2014', 1, DATE '2025-01-10', DATE '2025-01-10', 'on_time', 0, 'first', 2, "
    "DATE '2024-11-16', NULL, false, 'ansat')",
    "('A', 'p', 'sdp_2014', 2, DATE '2025-02-07', DATE '2025-02-09', 'late', 2, 'later', 2, "
    "DATE '2024-11-16', NULL, false, 'ansat')",
    "('A', 'p', 'sdp_2014', 3, DATE '2025-03-09', NULL, 'missing', 98, 'later', 2, "
    "DATE '2024-11-16', NULL, false, 'ansat')",
    "('A', 'p', 'sdp_2014', 4, DATE '2025-06-15', NULL, 'not_due_yet', 0, 'later', 2, "
    "DATE '2024-11-16', NULL, false, 'ansat')",
]

MONTHLY_COLUMNS = (
    "month_end, due_kind, dues, on_time, rettidighed_pct, median_days_late, late, missing, "
    "month_start"
)
MONTHLY = [
    "(DATE '2025-04-30', 'first', 2, 1, 50.0, 3.0, 1, 0, DATE '2025-04-01')",
    "(DATE '2025-04-30', 'later', 2, 0, 0.0, 7.5, 1, 1, DATE '2025-04-01')",
    "(DATE '2025-04-30', 'all', 4, 1, 25.0, 5.0, 2, 1, DATE '2025-04-01')",
]

TABLES = {
    "fct_retention": (RETENTION_COLUMNS, RETENTION),
    "fct_placement_outcomes": (OUTCOME_COLUMNS, OUTCOMES),
    "fct_sdp_followup": (FOLLOWUP_COLUMNS, FOLLOWUP),
    "fct_rettidighed_monthly": (MONTHLY_COLUMNS, MONTHLY),
}


def _warehouse(changes: dict[str, list[str]] | None = None) -> duckdb.DuckDBPyConnection:
    """The good tables, with `changes` replacing a table's rows."""
    conn = duckdb.connect()
    conn.execute(BUILD)
    for table, (columns, rows) in TABLES.items():
        rows = (changes or {}).get(table, rows)
        conn.execute(
            f"CREATE TABLE marts.{table} AS SELECT * FROM (VALUES {', '.join(rows)}) "
            f"AS t ({columns})"
        )
    return conn


def test_correct_marts_pass_every_suite():
    conn = _warehouse()
    results = [validate(conn, suite) for suite in SUITES]
    assert all(r.success for r in results), [r.summary() for r in results if not r.success]
    assert all(s.blocking for s in SUITES)
    assert {s.table for s in SUITES} == {f"marts.{t}" for t in TABLES}


def _with(table: str, old: str, new: str, index: int = 0) -> dict[str, list[str]]:
    rows = list(TABLES[table][1])
    assert old in rows[index]
    rows[index] = rows[index].replace(old, new)
    return {table: rows}


CASES = [
    # retention: more weeks employed than observed; 10 weeks counted as retained; a complete
    # window with 23 weeks observed; an ordinary engagement without a placement in the cohort;
    # 27 weeks; the same engagement twice.
    ("fct_retention", _with("fct_retention", "23, 20", "19, 20")),
    ("fct_retention_consistency", _with("fct_retention", "26, 10, false", "26, 10, true", 1)),
    ("fct_retention_consistency", _with("fct_retention", "true, false, 'W'", "true, true, 'W'")),
    ("fct_retention_consistency", _with("fct_retention", "true, 26", "false, 26", 1)),
    ("fct_retention_consistency", _with("fct_retention", "26, 10", "27, 10", 1)),
    ("fct_retention", {"fct_retention": [*RETENTION, RETENTION[0]]}),
    # outcomes: employed without an engagement; 91 days after; the placement's own scheme; not
    # final yet but marked complete; ended before the window.
    ("fct_placement_outcomes_consistency", _with("fct_placement_outcomes", "'E1'", "NULL")),
    ("fct_placement_outcomes_consistency", _with("fct_placement_outcomes", "90, true", "91, true")),
    (
        "fct_placement_outcomes_consistency",
        _with("fct_placement_outcomes", "'ordinaer'", "'virksomhedspraktik'"),
    ),
    (
        "fct_placement_outcomes_consistency",
        _with("fct_placement_outcomes", "NULL, false, DATE", "NULL, true, DATE", 1),
    ),
    (
        "fct_placement_outcomes_consistency",
        _with("fct_placement_outcomes", "DATE '2025-01-31'", "DATE '2022-05-31'"),
    ),
    ("fct_placement_outcomes", _with("fct_placement_outcomes", "'P2'", "'P1'", 1)),
    # follow-up: on_time though held late; wrong days missing; a gap in the numbering; a due
    # not held after the case ended; an unknown status.
    ("fct_sdp_followup_consistency", _with("fct_sdp_followup", "'late', 2", "'on_time', 0", 1)),
    ("fct_sdp_followup_consistency", _with("fct_sdp_followup", "98", "97", 2)),
    ("fct_sdp_followup_consistency", {"fct_sdp_followup": FOLLOWUP[:1] + FOLLOWUP[2:3]}),
    (
        "fct_sdp_followup_consistency",
        {
            "fct_sdp_followup": [
                r.replace("DATE '2024-11-16', NULL", "DATE '2024-11-16', DATE '2025-03-01'")
                for r in FOLLOWUP
            ]
        },
    ),
    ("fct_sdp_followup", _with("fct_sdp_followup", "'not_due_yet'", "'pending'", 3)),
    # monthly: a wrong percentage; all ≠ first + later; more on time than dues; no median
    # although dues were late.
    ("fct_rettidighed_monthly_consistency", _with("fct_rettidighed_monthly", "25.0", "30.0", 2)),
    ("fct_rettidighed_monthly_consistency", {"fct_rettidighed_monthly": MONTHLY[:2]}),
    ("fct_rettidighed_monthly", _with("fct_rettidighed_monthly", "2, 1, 50.0", "2, 3, 150.0")),
    ("fct_rettidighed_monthly_consistency", _with("fct_rettidighed_monthly", "3.0", "NULL")),
]


@pytest.mark.parametrize(("suite", "changes"), CASES)
def test_each_contradiction_fails_its_suite(suite, changes):
    result = validate(_warehouse(changes), SUITE[suite])
    assert not result.success and result.blocking, result.summary()
