"""dbt foundation: a full build on an empty warehouse, and the two core marts on a hand-made
register set inserted straight into raw.* (no generator, no ingest), checked against values
worked out by hand in the comments below."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from dateutil.easter import easter

from tests.support.warehouse import dbt_build, empty_warehouse

pytestmark = pytest.mark.xdist_group("foundation")

EMPTY_AS_OF = date(2025, 11, 15)
HAND_AS_OF = date(2025, 3, 15)  # history_months 36 → window 2022-03-01 … 2025-03-15


def query(db: Path, sql: str) -> list[tuple]:
    """Read a warehouse. Not read_only: the in-process dbt run may still hold the file open
    read-write, and DuckDB refuses a second connection with another access mode."""
    with duckdb.connect(str(db)) as conn:
        return conn.execute(sql).fetchall()


def _key(name: str) -> str:
    """A person_key of the real shape (64 lowercase hex chars)."""
    return hashlib.sha256(name.encode()).hexdigest()


@pytest.fixture(scope="module")
def empty_build(tmp_path_factory) -> tuple[Path, object]:
    """One full `dbt build` (every helper's models, data tests and unit tests) on no data."""
    db = empty_warehouse(tmp_path_factory.mktemp("foundation_empty") / "empty.duckdb")
    outcome = dbt_build(db, EMPTY_AS_OF, raise_on_failure=False)
    return db, outcome


# --- the hand-made register set --------------------------------------------------------------
# Hierarchy:  K (root, no P)            X (own root: its unknown parent was nulled, no P)
#             ├─ A (no P)
#             │  └─ W1 (P 1000000001)
#             │     └─ S1 (no P)
#             │        └─ W2 (P 1000000002, nested workplace)
#             └─ B (no P)
#                └─ T1 (no P → no workplace at all, E5)
ORG_UNITS = [
    # org_unit_id, name, parent_id, p_number, workplace_type, area
    ("K", "Horsens Kommune", None, None, None, None),
    ("A", "Børn og Unge", "K", None, None, "Børn og Unge"),
    ("W1", "Nordskolen", "A", "1000000001", "skole", "Børn og Unge"),
    ("S1", "Indskoling", "W1", None, None, "Børn og Unge"),
    ("W2", "SFO Nord", "S1", "1000000002", "skole", "Børn og Unge"),
    ("B", "Teknik og Miljø", "K", None, None, "Teknik og Miljø"),
    ("T1", "Vej og Park", "B", None, "vej_og_park", "Teknik og Miljø"),
    ("X", "Løs enhed", None, None, "andet", None),
]

# fmt: off
PLACEMENTS = [
    # id, person, unit, scheme, benefit_group, weekly_hours, start, end
    ("q1", "pa", "S1", "loentilskud", "a_dagpenge", 37.0, "2025-01-06", None),
    ("q2", "pb", "W2", "virksomhedspraktik", None, None, "2025-02-03", "2025-02-28"),
    ("q3", "pc", "T1", "nyttejob", "ressourceforloeb", 18.5, "2024-12-01", "2025-03-31"),
    ("q4", "pa", "S1", "loentilskud", "a_dagpenge", 7.4, "2025-03-01", "2025-03-31"),
    ("q5", "pd", "W1", "fleksjob", "ledighedsydelse", 20.0, "2025-03-20", None),  # after as_of
    ("q6", "pe", "X", "seniorjob", None, 37.0, "2022-01-15", "2022-03-31"),
    ("q7", "pf", "S1", "loentilskud", "a_dagpenge", 37.0, "2025-02-10", "2025-03-05"),
]

ENGAGEMENTS = [
    # id, person, birth_date, unit, type, weekly_hours, start, end
    ("e1", "pg", "1980-05-17", "S1", "ordinaer", 37.0, "2019-08-01", None),
    ("e2", "ph", "2008-02-29", "W2", "elev", 29.6, "2024-08-01", "2026-07-31"),
    ("e3", "pc", "1975-01-01", "T1", "fleksjob", 18.5, "2023-01-01", None),
    ("e4", "pi", "1990-01-01", "W1", "ordinaer", 37.0, "2025-04-01", None),  # after as_of
]
# fmt: on

# E4 for the other registers: rows starting after as_of 15/3/2025 are not observed.
ABSENCES = [  # id, engagement, from, to, s56
    ("a1", "e1", "2025-03-10", "2025-03-20", None),  # to after as_of: kept (open at as_of)
    ("a2", "e1", "2025-03-16", "2025-03-18", True),  # from after as_of: dropped
]
SDP_CASES = [("c1", "2025-03-01"), ("c2", "2025-03-16")]  # id, first_absence_date
SDP_EVENTS = [("v1", "c1", "2025-03-15"), ("v2", "c1", "2025-03-17")]  # id, case, event_date


def _insert_hand_registers(db: Path) -> None:
    with duckdb.connect(str(db)) as conn:
        conn.executemany(
            """insert into raw.org_units (org_unit_id, name, parent_id, p_number, workplace_type,
                   area, inclusion_approved_from, inclusion_approved_to, _source_file, _row_number)
               values (?, ?, ?, ?, ?, ?, null, null, 'org_units.csv', ?)""",
            [(*row, i) for i, row in enumerate(ORG_UNITS, start=1)],
        )
        conn.executemany(
            """insert into raw.placements (placement_id, person_key, birth_date, org_unit_id,
                   scheme, benefit_group, weekly_hours, start_date, planned_end_date, end_date,
                   end_reason, previous_placement_id, _source_file, _row_number)
               values (?, ?, date '1990-06-01', ?, ?, ?, ?, ?, null, ?, null, null,
                       'placements.csv', ?)""",
            [
                (pid, _key(person), unit, scheme, group, hours, start, end, i)
                for i, (pid, person, unit, scheme, group, hours, start, end) in enumerate(
                    PLACEMENTS, start=1
                )
            ],
        )
        conn.executemany(
            """insert into raw.engagements (engagement_id, person_key, birth_date, org_unit_id,
                   engagement_type, weekly_hours, start_date, end_date, end_reason, union_area,
                   job_title, _source_file, _row_number)
               values (?, ?, ?, ?, ?, ?, ?, ?, null, null, null, 'engagements.csv', ?)""",
            [
                (eid, _key(person), birth, unit, kind, hours, start, end, i)
                for i, (eid, person, birth, unit, kind, hours, start, end) in enumerate(
                    ENGAGEMENTS, start=1
                )
            ],
        )
        conn.executemany(
            """insert into raw.absences (absence_id, engagement_id, cause, from_date, to_date,
                   hours, s56, _source_file, _row_number)
               values (?, ?, 'egen_sygdom', ?, ?, null, coalesce(?, false), 'absences.csv', 1)""",
            ABSENCES,
        )
        conn.executemany(
            """insert into raw.sdp_cases (case_id, person_key, birth_date, first_absence_date,
                   employment_status, case_end_date, end_reason, fast_track_requested_date,
                   _source_file, _row_number)
               values (?, 'k', date '1980-01-01', ?, 'ansat', null, null, null, 'sdp.csv', 1)""",
            SDP_CASES,
        )
        conn.executemany(
            """insert into raw.sdp_events (event_id, case_id, event_date, event_type, category,
                   status, _source_file, _row_number)
               values (?, ?, ?, 'visitation', 2, null, 'sdp_events.csv', 1)""",
            SDP_EVENTS,
        )


@pytest.fixture(scope="module")
def hand_build(tmp_path_factory) -> Path:
    db = empty_warehouse(tmp_path_factory.mktemp("foundation_hand") / "hand.duckdb")
    _insert_hand_registers(db)
    # Only the foundation's models; "cautious" keeps out tests that also touch models of other
    # helpers, which this build does not make.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBT_INDIRECT_SELECTION", "cautious")
        dbt_build(
            db,
            HAND_AS_OF,
            select=["+dim_org_unit", "+fct_placements_monthly", "+int_engagements", "+staging"],
        )
    return db


# --- empty warehouse --------------------------------------------------------------------------


def test_full_build_on_an_empty_warehouse_passes(empty_build):
    _, outcome = empty_build
    assert outcome.success, "\n".join(outcome.failures)


def test_the_full_build_ran_the_foundation_unit_tests(empty_build):
    _, outcome = empty_build
    statuses = dict(outcome.results)
    for name in (
        "int_calendar.calendar_easter_2024_week",
        "int_calendar.calendar_store_bededag_2023_is_a_holiday",
        "int_org_units.workplace_resolution",
        "fct_placements_monthly.placements_monthly_counting",
        "int_window_months.window_36_months_gives_37",
    ):
        assert statuses.get(f"unit_test.rummelig.{name}") == "pass", name


def test_empty_marts_exist_and_the_window_has_37_months(empty_build):
    db, _ = empty_build
    assert query(db, "select count(*) from marts.dim_org_unit") == [(0,)]
    assert query(db, "select count(*) from marts.fct_placements_monthly") == [(0,)]
    # history_months 36 → Nov 2022 … Nov 2025, the last month ending on as_of.
    assert query(
        db, "select count(*), min(month_start), max(month_end) from intermediate.int_window_months"
    ) == [(37, date(2022, 11, 1), EMPTY_AS_OF)]


def _danish_non_working_days(year: int) -> set[date]:
    """docs/domain.md §5 computed independently of the SQL: dateutil's Easter + fixed dates."""
    e = easter(year)
    days = {e + timedelta(days=d) for d in (-3, -2, 1, 39, 50)}
    if year <= 2023:
        days.add(e + timedelta(days=26))  # store bededag
    days |= {date(year, m, d) for m, d in ((1, 1), (6, 5), (12, 24), (12, 25), (12, 26), (12, 31))}
    return days


def test_calendar_working_days_match_an_independent_computation(empty_build):
    db, _ = empty_build
    rows = query(
        db,
        "select date_day, is_working_day, working_day_idx from intermediate.int_calendar "
        "order by date_day",
    )
    assert rows[0][0] == date(1970, 1, 1) and rows[-1][0] == date(2070, 12, 31)
    off = set().union(*(_danish_non_working_days(y) for y in range(1970, 2071)))
    idx = 0
    for day, is_working_day, working_day_idx in rows:
        expected = day.isoweekday() <= 5 and day not in off
        idx += expected
        assert (is_working_day, working_day_idx) == (expected, idx), day
    # 2024: 262 weekdays minus 11 weekday holidays (1/1, 28/3, 29/3, 1/4, 9/5, 20/5, 5/6,
    # 24/12, 25/12, 26/12, 31/12) = 251 working days = idx(2024-12-31) - idx(2023-12-31).
    (n_2024,) = query(
        db,
        "select max(working_day_idx) filter (where date_day = date '2024-12-31') "
        "- max(working_day_idx) filter (where date_day = date '2023-12-31') "
        "from intermediate.int_calendar",
    )[0]
    assert n_2024 == 251


# --- hand-made registers ----------------------------------------------------------------------


def test_dim_org_unit_resolves_workplaces_levels_and_paths(hand_build):
    rows = query(
        hand_build,
        "select org_unit_id, parent_id, p_number, workplace_id, level, path "
        "from marts.dim_org_unit order by org_unit_id",
    )
    assert rows == sorted(
        [
            ("K", None, None, None, 0, "K"),
            ("A", "K", None, None, 1, "K/A"),
            ("W1", "A", "1000000001", "W1", 2, "K/A/W1"),
            ("S1", "W1", None, "W1", 3, "K/A/W1/S1"),  # sub-unit → parent's workplace
            ("W2", "S1", "1000000002", "W2", 4, "K/A/W1/S1/W2"),  # nested P-number: own workplace
            ("B", "K", None, None, 1, "K/B"),
            ("T1", "B", None, None, 2, "K/B/T1"),  # no P-number at or above (E5)
            ("X", None, None, None, 0, "X"),  # own root (E1a)
        ]
    )


def test_dim_org_unit_has_exactly_the_published_columns(hand_build):
    cols = query(
        hand_build,
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'dim_org_unit' order by ordinal_position",
    )
    assert [c for (c,) in cols] == [
        "org_unit_id", "name", "parent_id", "p_number", "workplace_type", "area",
        "workplace_id", "level", "path",
    ]  # fmt: skip


def test_fct_placements_monthly_matches_the_hand_count(hand_build):
    rows = query(
        hand_build,
        "select month_end, org_unit_id, workplace_id, scheme, benefit_group, active_persons, "
        "active_fte, starts, ends from marts.fct_placements_monthly "
        "order by month_end, org_unit_id, scheme",
    )
    d = date.fromisoformat
    # By hand (FTE = hours / 37; q2 has no hours → 1.0; q5 starts after as_of → never seen):
    # q6 (pe at X, 15/1/2022-31/3/2022): only March 2022 is in the window; active on 31/3, ends.
    # q3 (pc at T1, 18.5 h = 0.5, 1/12/2024-31/3/2025): starts Dec; active Dec-Mar (31/3 is after
    #   as_of 15/3, so active on as_of and its end is not counted). Workplace null (E5/E11).
    # S1 loentilskud a_dagpenge: Jan: q1 pa 1.0 starts → 1 person, 1.0.
    #   Feb: q1 pa 1.0 + q7 pf 1.0 (starts 10/2) → 2 persons, 2.0, 1 start.
    #   Mar (to 15/3): q1 pa 1.0 + q4 pa 0.2 (starts 1/3, ends 31/3 > as_of) → 1 distinct person,
    #   1.2 FTE; q7 ends 5/3 → 1 start, 1 end.
    # q2 (pb at W2, praktik, no benefit group, 3/2-28/2): active on 28/2, starts and ends in Feb.
    assert rows == [
        (d("2022-03-31"), "X", None, "seniorjob", None, 1, 1.0, 0, 1),
        (d("2024-12-31"), "T1", None, "nyttejob", "ressourceforloeb", 1, 0.5, 1, 0),
        (d("2025-01-31"), "S1", "W1", "loentilskud", "a_dagpenge", 1, 1.0, 1, 0),
        (d("2025-01-31"), "T1", None, "nyttejob", "ressourceforloeb", 1, 0.5, 0, 0),
        (d("2025-02-28"), "S1", "W1", "loentilskud", "a_dagpenge", 2, 2.0, 1, 0),
        (d("2025-02-28"), "T1", None, "nyttejob", "ressourceforloeb", 1, 0.5, 0, 0),
        (d("2025-02-28"), "W2", "W2", "virksomhedspraktik", None, 1, 1.0, 1, 1),
        (d("2025-03-15"), "S1", "W1", "loentilskud", "a_dagpenge", 1, 1.2, 1, 1),
        (d("2025-03-15"), "T1", None, "nyttejob", "ressourceforloeb", 1, 0.5, 0, 0),
    ]


def test_fct_placements_monthly_has_exactly_the_published_columns(hand_build):
    cols = query(
        hand_build,
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'fct_placements_monthly' order by ordinal_position",
    )
    assert [c for (c,) in cols] == [
        "month_end", "org_unit_id", "workplace_id", "scheme", "benefit_group",
        "active_persons", "active_fte", "starts", "ends",
    ]  # fmt: skip


def test_placement_starting_after_as_of_is_not_observed(hand_build):
    # E4: q5 starts 20/3/2025, after as_of 15/3/2025.
    assert query(
        hand_build, "select placement_id from staging.stg_placements order by placement_id"
    ) == [("q1",), ("q2",), ("q3",), ("q4",), ("q6",), ("q7",)]


def test_placement_fte_uses_full_time_when_hours_are_missing(hand_build):
    assert query(
        hand_build,
        "select placement_id, fte, weekly_hours_missing from intermediate.int_placements "
        "where placement_id in ('q2', 'q3', 'q4') order by placement_id",
    ) == [("q2", 1.0, True), ("q3", 0.5, False), ("q4", 0.2, False)]


def test_rows_starting_after_as_of_are_not_observed_in_any_register(hand_build):
    # E4 with as_of 15/3/2025: e4 starts 1/4, a2 on 16/3, c2 on 16/3, v2 on 17/3 → dropped;
    # a1 (to_date 20/3 after as_of) and v1 (dated as_of) stay.
    ids = {
        "stg_engagements": "engagement_id",
        "stg_absences": "absence_id",
        "stg_sdp_cases": "case_id",
        "stg_sdp_events": "event_id",
    }
    kept = {
        model: [r[0] for r in query(hand_build, f"select {col} from staging.{model} order by 1")]
        for model, col in ids.items()
    }
    assert kept == {
        "stg_engagements": ["e1", "e2", "e3"],
        "stg_absences": ["a1"],
        "stg_sdp_cases": ["c1"],
        "stg_sdp_events": ["v1"],
    }
    assert query(hand_build, "select to_date, s56 from staging.stg_absences") == [
        (date(2025, 3, 20), False)
    ]


def test_engagements_get_workplace_fte_staff_group_and_18th_birthday(hand_build):
    rows = query(
        hand_build,
        "select engagement_id, workplace_id, fte, daily_hours, staff_group, date_18, "
        "observed_end_date from intermediate.int_engagements order by engagement_id",
    )
    d = date.fromisoformat
    # e1: 37 h at S1 → W1, fte 1, 7.4 h/day, open → observed to as_of.
    # e2: elev 29.6 h at the nested workplace W2 → fte 0.8, 5.92 h/day, ordinaere; born 29/2/2008
    #     → 18 on 1/3/2026 (E8); ends 2026, observed to as_of.
    # e3: fleksjob 18.5 h at T1 (no workplace) → fte 0.5, 3.7 h/day, inklusion.
    assert rows == [
        ("e1", "W1", 1.0, 7.4, "ordinaere", d("1998-05-17"), HAND_AS_OF),
        ("e2", "W2", 0.8, 5.92, "ordinaere", d("2026-03-01"), HAND_AS_OF),
        ("e3", None, 0.5, 3.7, "inklusion", d("1993-01-01"), HAND_AS_OF),
    ]
