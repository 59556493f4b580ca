"""The four jobcentre marts against an independent Python reference (tests/dbt/jobcenter_reference).

Seeded random registers crowded around every boundary of docs/domain.md §5.5–5.6: placements
ending 89/90/91 days before a start, engagements of 27/28/29 days and open ones, rows after as_of,
sickness-benefit cases on both sides of the 2023-03-22 rule switch and from before 2014-07-01,
fast-track requests before and after day 55 and after as_of, cases ending on due dates and after
as_of, cases open for ten years, visitations before the first absence day, on one date twice and
without category, conversations held early, late, after case end, cancelled and on one date twice.
Two rule sets are built: the defaults, and a config/rules.yml with other parameters and a third
sdp version, so a new version changes the results without code.
"""

from __future__ import annotations

import hashlib
import os
import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.dbt.jobcenter_reference import (
    DEFAULT_VERSIONS,
    Registers,
    SdpVersion,
    placement_outcomes,
    retention,
    rettidighed_monthly,
    sdp_followup,
)
from tests.support.warehouse import empty_warehouse, run_dbt

pytestmark = pytest.mark.xdist_group("jobcenter")

AS_OF = date(2025, 6, 15)
MARTS = ["fct_retention", "fct_placement_outcomes", "fct_sdp_followup", "fct_rettidighed_monthly"]
TYPES = ["ordinaer"] * 5 + ["elev", "fleksjob", "fleksjob_foer_2013", "loentilskud", "seniorjob"]
SCHEMES = ["virksomhedspraktik", "nyttejob", "loentilskud", "fleksjob", "beskyttet_beskaeftigelse"]
# The dbt build of the jobcentre lineage also runs its unit tests; their statuses land here.
UNIT_TEST_STATUSES: dict[str, str] = {}
UNIT_TESTS = [
    "int_employment_islands.employment_islands_merge_overlapping_and_adjacent",
    "int_retention_cohort.retention_cohort_inklusion_or_preceded_by_placement",
    "fct_retention.retention_weeks_judged_on_each_weeks_last_day",
    "fct_placement_outcomes.placement_outcomes_qualifying_engagements",
    "int_sdp_cases.sdp_cases_rule_version_and_first_due",
    "int_sdp_held_conversations.sdp_held_conversations_count_afholdt_and_null_only",
    "int_sdp_visitation_categories.sdp_visitation_category_ties_go_to_the_larger_event_id",
    "int_sdp_dues.sdp_dues_interval_chain",
    "int_sdp_dues.sdp_dues_count_within_days",
    "fct_sdp_followup.sdp_followup_statuses_and_the_drop_rule",
    "fct_rettidighed_monthly.rettidighed_by_month_of_due_date",
]
UNITS = [("R", None, None), ("W1", "R", "1000000001"), ("S1", "W1", None), ("X", "R", None)]
STATUSES = [None, "afholdt", "afholdt", None, "aflyst_borger", "aflyst_kommune", "udeblevet"]

CUSTOM_RULES = """\
history_months: 24
retention: {weeks: 20, retained_weeks: 10, placement_followup_days: 60, employment_min_days: 14}
sdp_followup:
  - {name: sdp_test_2024, valid_from: 2024-01-01, first_due_days: 40, fast_track_days: 10,
     then: {interval_days: 21}, categories: [3], source: "test"}
  - {name: sdp_2023, valid_from: 2023-03-22, valid_to: 2023-12-31, first_due_days: 55,
     fast_track_days: 14, then: {count: 2, within_days: 150}, categories: [2, 3], source: "test"}
  - {name: sdp_2014, valid_from: 2014-07-01, valid_to: 2023-03-21, first_due_days: 55,
     fast_track_days: 14, then: {interval_days: 28}, categories: [2, 3], source: "test"}
"""
CUSTOM_VERSIONS = (
    SdpVersion("sdp_test_2024", date(2024, 1, 1), None, 40, 10, interval_days=21,
               categories=frozenset({3})),
    SdpVersion("sdp_2023", date(2023, 3, 22), date(2023, 12, 31), count=2, within_days=150),
    DEFAULT_VERSIONS[1],
)  # fmt: skip


def _key(i: int) -> str:
    return hashlib.sha256(f"person{i}".encode()).hexdigest()


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def make_registers(seed: int) -> dict[str, list[dict]]:
    """Registers whose dates sit on and beside the thresholds of both rule sets."""
    rng = random.Random(seed)
    engagements: list[dict] = []
    placements: list[dict] = []
    for i in range(70):
        person = _key(i)
        anchor = _day(rng, date(2021, 6, 1), date(2025, 7, 10))
        for j in range(rng.choice([1, 1, 2, 3])):
            start = anchor + timedelta(days=rng.choice([0, 0, 1, 13, 14, 60, 61, 90, 91, 200]) * j)
            end = rng.choice([None, None, 13, 14, 26, 27, 28, 29, 90, 91, 181, 182, 400, "after"])
            if end == "after":
                end_date = AS_OF + timedelta(days=rng.randint(1, 60))
            else:
                end_date = None if end is None else start + timedelta(days=end - 1)
            engagements.append(
                {
                    "engagement_id": f"E{i:03d}_{j}",
                    "person_key": person,
                    "engagement_type": rng.choice(TYPES),
                    "org_unit_id": rng.choice(["W1", "S1", "X"]),
                    "start_date": start,
                    "end_date": end_date,
                }
            )
        for j in range(rng.choice([0, 1, 1, 2])):
            # Ends a threshold's distance (±1) before the anchor, spans it, or starts on it.
            gap = rng.choice([-1, 0, 1, 13, 14, 15, 59, 60, 61, 89, 90, 91, 200])
            end = anchor - timedelta(days=gap)
            start = end - timedelta(days=rng.randint(0, 120))
            open_end = rng.random() < 0.15
            placements.append(
                {
                    "placement_id": f"P{i:03d}_{j}",
                    "person_key": person,
                    "scheme": rng.choice(SCHEMES),
                    "benefit_group": rng.choice([None, "a_dagpenge", "integration"]),
                    "org_unit_id": rng.choice(["W1", "S1", "X"]),
                    "start_date": start,
                    "end_date": None if open_end else end,
                }
            )
    cases: list[dict] = []
    events: list[dict] = []
    switch = [date(2014, 6, 30), date(2014, 7, 1), date(2023, 3, 21), date(2023, 3, 22),
              date(2023, 12, 31), date(2024, 1, 1)]  # fmt: skip
    for i in range(90):
        if i < len(switch):
            first = switch[i]
        elif i < 10:
            first = _day(rng, date(2015, 1, 1), date(2015, 12, 31))  # open ten years
        else:
            first = _day(rng, date(2021, 1, 1), date(2025, 7, 1))
        duration = rng.choice([None, None, 20, 55, 56, 83, 120, 182, 183, 300, 700])
        if i < 10 and i >= len(switch):
            duration = None
        case_end = None if duration is None else first + timedelta(days=duration)
        fast = None
        if rng.random() < 0.3:
            fast = first + timedelta(days=rng.choice([2, 30, 40, 41, 42, 60]))
        cases.append(
            {
                "case_id": f"C{i:03d}",
                "person_key": _key(1000 + i),
                "first_absence_date": first,
                "case_end_date": case_end,
                "fast_track_requested_date": fast,
            }
        )
        last = min(case_end or AS_OF + timedelta(days=30), AS_OF + timedelta(days=30))
        for v in range(rng.choice([0, 1, 1, 2, 3])):
            when = first + timedelta(days=rng.choice([-5, 0, 10, 60, 100, 150, 200, 400]))
            events.append(
                {
                    "event_id": f"V{i:03d}_{v}",
                    "case_id": f"C{i:03d}",
                    "event_date": when if v < 2 else events[-1]["event_date"],  # a tie
                    "event_type": "visitation",
                    # The cases open ten years stay in category 3: their chain never stops.
                    "category": 3 if 6 <= i < 10 else rng.choice([1, 2, 2, 3, 3, None]),
                    "status": None,
                }
            )
        if 6 <= i < 10:  # category 3 from before the first absence day on
            events.append(
                {
                    "event_id": f"V{i:03d}_z",
                    "case_id": f"C{i:03d}",
                    "event_date": first - timedelta(days=5),
                    "event_type": "visitation",
                    "category": 3,
                    "status": None,
                }
            )
        # Conversations near the dues of both forms, some after the case ended.
        offsets = sorted(
            rng.sample(
                [-3, 20, 41, 55, 56, 60, 83, 84, 90, 111, 112, 140, 150, 182, 183, 200],
                rng.randint(0, 9),
            )  # fmt: skip
        )
        for c, off in enumerate(offsets):
            when = first + timedelta(days=off + rng.choice([0, 0, 0, -2, 3]))
            if when > last + timedelta(days=20):
                continue
            events.append(
                {
                    "event_id": f"H{i:03d}_{c}",
                    "case_id": f"C{i:03d}",
                    "event_date": when,
                    "event_type": "opfoelgningssamtale",
                    "category": None,
                    "status": rng.choice(STATUSES),
                }
            )
            if rng.random() < 0.1:  # a second one on the same date
                events.append({**events[-1], "event_id": f"H{i:03d}_{c}b", "status": None})
    return {"engagements": engagements, "placements": placements, "cases": cases,
            "events": events}  # fmt: skip


def _insert(db: Path, regs: dict[str, list[dict]]) -> None:
    with duckdb.connect(str(db)) as conn:
        conn.executemany(
            "INSERT INTO raw.org_units (org_unit_id, name, parent_id, p_number, _source_file,"
            " _row_number) VALUES (?, ?, ?, ?, 'test', 1)",
            [(u, f"Enhed {u}", parent, p) for u, parent, p in UNITS],
        )
        conn.executemany(
            "INSERT INTO raw.engagements (engagement_id, person_key, birth_date, org_unit_id,"
            " engagement_type, weekly_hours, start_date, end_date, _source_file, _row_number)"
            " VALUES ($engagement_id, $person_key, DATE '1980-01-01', $org_unit_id,"
            " $engagement_type, 37, $start_date, $end_date, 'test', 1)",
            regs["engagements"],
        )
        conn.executemany(
            "INSERT INTO raw.placements (placement_id, person_key, birth_date, org_unit_id, scheme,"
            " benefit_group, start_date, end_date, _source_file, _row_number) VALUES"
            " ($placement_id, $person_key, DATE '1980-01-01', $org_unit_id, $scheme,"
            " $benefit_group, $start_date, $end_date, 'test', 1)",
            regs["placements"],
        )
        conn.executemany(
            "INSERT INTO raw.sdp_cases (case_id, person_key, birth_date, first_absence_date,"
            " case_end_date, fast_track_requested_date, _source_file, _row_number) VALUES"
            " ($case_id, $person_key, DATE '1980-01-01', $first_absence_date, $case_end_date,"
            " $fast_track_requested_date, 'test', 1)",
            regs["cases"],
        )
        conn.executemany(
            "INSERT INTO raw.sdp_events (event_id, case_id, event_date, event_type, category,"
            " status, _source_file, _row_number) VALUES ($event_id, $case_id, $event_date,"
            " $event_type, $category, $status, 'test', 1)",
            regs["events"],
        )


def _build(tmp: Path, regs: dict[str, list[dict]], rules: str | None) -> tuple[Path, dict]:
    config = None
    if rules is not None:
        config = tmp / "rules.yml"
        config.write_text(rules, encoding="utf-8")
    db = empty_warehouse(tmp / "jobcenter.duckdb", config)
    _insert(db, regs)
    saved = os.environ.get("DBT_INDIRECT_SELECTION")
    os.environ["DBT_INDIRECT_SELECTION"] = "cautious"  # only the jobcentre lineage
    try:
        outcome = run_dbt("build", database=db, as_of=AS_OF, select=[f"+{m}" for m in MARTS])
    finally:
        if saved is None:
            os.environ.pop("DBT_INDIRECT_SELECTION", None)
        else:
            os.environ["DBT_INDIRECT_SELECTION"] = saved
    return db, dict(outcome.results)


@pytest.fixture(scope="module", params=["default_rules", "custom_rules"])
def built(request, tmp_path_factory) -> tuple[Path, Registers, dict[str, str | None]]:
    regs = make_registers(seed=9)
    custom = request.param == "custom_rules"
    db, statuses = _build(
        tmp_path_factory.mktemp(request.param), regs, CUSTOM_RULES if custom else None
    )
    UNIT_TEST_STATUSES.update(statuses)
    params = (
        {"history_months": 24, "weeks": 20, "retained_weeks": 10, "placement_followup_days": 60,
         "employment_min_days": 14, "versions": CUSTOM_VERSIONS}
        if custom else {}
    )  # fmt: skip
    ref = Registers(
        as_of=AS_OF,
        engagements=regs["engagements"],
        placements=regs["placements"],
        cases=regs["cases"],
        events=regs["events"],
        **params,
    )
    workplace = {"W1": "W1", "S1": "W1", "X": None, "R": None}
    return db, ref, workplace


def _rows(db: Path, table: str, columns: list[str], order: str) -> list[dict]:
    with duckdb.connect(str(db)) as conn:
        cur = conn.execute(f"SELECT {', '.join(columns)} FROM marts.{table} ORDER BY {order}")
        return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def _compare(got: list[dict], want: list[dict], key: list[str]) -> None:
    want = sorted(want, key=lambda r: tuple(r[k] for k in key))
    assert [tuple(g[k] for k in key) for g in got] == [tuple(w[k] for k in key) for w in want]
    for g, w in zip(got, want, strict=True):
        for column, value in w.items():
            if isinstance(value, float):
                assert g[column] == pytest.approx(value, abs=1e-9), (g, column)
            else:
                assert g[column] == value, (tuple(g[k] for k in key), column, g[column], value)


def test_the_registers_reach_every_branch(built):
    db, ref, _ = built
    followup = sdp_followup(ref)
    statuses = {(r["rule_version"], r["status"]) for r in followup}
    versions = {v.name for v in ref.versions}
    # Every status occurs, and every version of the rule set has dues.
    assert {s for _, s in statuses} == {"on_time", "late", "missing", "not_due_yet"}
    assert {v for v, _ in statuses} == versions
    assert any(r["due_no"] > 30 for r in followup)  # a case open for ten years
    kept = retention(ref)
    assert {r["retained_13_of_26"] for r in kept if r["window_complete"]} == {True, False}
    assert {r["preceded_by_placement"] for r in kept} == {True, False}
    outcomes = placement_outcomes(ref, {})
    assert {r["employed_after"] for r in outcomes} == {True, False}
    assert any((r["days_to_employment"] or 0) < 0 for r in outcomes)


def test_fct_retention_equals_the_reference(built):
    db, ref, _ = built
    want = retention(ref)
    got = _rows(db, "fct_retention", list(want[0]), "engagement_id")
    _compare(got, want, ["engagement_id"])


def test_fct_placement_outcomes_equals_the_reference(built):
    db, ref, workplace = built
    want = placement_outcomes(ref, workplace)
    got = _rows(db, "fct_placement_outcomes", list(want[0]), "placement_id")
    _compare(got, want, ["placement_id"])


def test_fct_sdp_followup_equals_the_reference(built):
    db, ref, _ = built
    want = sdp_followup(ref)
    got = _rows(db, "fct_sdp_followup", list(want[0]), "case_id, due_no")
    _compare(got, want, ["case_id", "due_no"])


def test_fct_rettidighed_monthly_equals_the_reference(built):
    db, ref, _ = built
    want = rettidighed_monthly(ref, sdp_followup(ref))
    got = _rows(db, "fct_rettidighed_monthly", list(want[0]), "month_end, due_kind")
    _compare(got, want, ["month_end", "due_kind"])


def test_cases_open_ten_years_stop_at_the_first_due_on_or_after_as_of(built):
    """The interval chain terminates (int_sdp_dues): a case open since 2015 lists its dues up to
    and including the first one on or after as_of, at most 1 + held + ceil((as_of − due 1) / 28)."""
    db, ref, _ = built
    with duckdb.connect(str(db)) as conn:
        found = conn.execute(
            """SELECT f.case_id, count(*), max(f.due_date), max(f.due_date) FILTER
                      (WHERE f.due_no < (SELECT max(due_no) FROM marts.fct_sdp_followup AS g
                                         WHERE g.case_id = f.case_id)),
                      min(f.due_date) FILTER (WHERE f.due_no = 1),
                      (SELECT count(*) FROM intermediate.int_sdp_held_conversations AS h
                       WHERE h.case_id = f.case_id)
               FROM marts.fct_sdp_followup AS f
               INNER JOIN raw.sdp_cases AS c USING (case_id)
               WHERE year(c.first_absence_date) = 2015 AND c.case_end_date IS NULL
               GROUP BY f.case_id"""
        ).fetchall()
    assert len(found) == 4
    for case_id, dues, last, before_last, first_due, held in found:
        assert last >= AS_OF > before_last, case_id
        assert dues <= 1 + held + -(-(AS_OF - first_due).days // 28), case_id
        assert dues > 120, case_id  # ten years of 28-day dues


def test_the_jobcenter_suites_pass_on_the_random_registers(built):
    from expectations.core import validate
    from expectations.suites.jobcenter import SUITES

    db, _, _ = built
    with duckdb.connect(str(db)) as conn:
        results = [validate(conn, suite) for suite in SUITES]
    assert all(r.success for r in results), [r.summary() for r in results if not r.success]


def test_the_hand_computed_dbt_unit_tests_ran_and_passed(built):
    for name in UNIT_TESTS:
        assert UNIT_TEST_STATUSES.get(f"unit_test.rummelig.{name}") == "pass", name
