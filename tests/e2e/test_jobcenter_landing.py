"""Acceptance, end to end through the real CLI: `rummelig build` on a landing folder written by
hand (tests/e2e/landing_jobcenter, docs/domain.md §3 format) gives the four jobcentre marts exactly
as docs/domain.md §5.5–5.6 define them — every row and every specified column derived by hand below.

as_of 2025-06-15, default rules: reporting window 2022-06-01 … 2025-06-15, 26 weeks, 13 retained,
placement_followup_days 90, employment_min_days 28; sdp_2014 (first absence ≤ 2023-03-21: due 1
on day 55, then every 28 days from the held date, or the due date when not held) and sdp_2023
(from 2023-03-22: due 1 on day 55, then 3 dues on day 182), categories 2 and 3, fast track 14.

fct_retention — week k ends on start + 7k + 6:
  E_A   fleksjob 2024-01-01, open: inklusion, no placement → 26/26, retained, complete.
  E_B   ordinaer 2024-06-29 … 09-27 after praktik PB ended 2024-03-31 (exactly 90 days before):
        preceded; weeks end 07-05 + 7k, employed to 09-27 = 07-05 + 84 → weeks 0–12 = exactly 13.
  E_C0  elev 2024-03-01 … 03-27 during nyttejob PC: preceded; weeks 0–2 (ends 03-07, 03-14,
        03-21), then E_C from 06-30 covers weeks 17–25 (week 16 ends 06-27) → 12, not retained.
  E_C   ordinaer 2024-06-30: PC ended 91 days before → not in the cohort.
  E_D   løntilskud 2024-09-01 … 2025-02-28 with løntilskud placement PD: same scheme, not
        preceded, inklusion → in; E_D2 takes over on 03-01 → 26/26.
  E_D2  ordinaer 2025-03-01 after PD: preceded; week 14 ends 06-13, week 15 06-20 > as_of
        → 15 observed, 15 employed, retained, not complete.
  E_E   ordinaer 2025-05-19 after PE: week 3 ends 06-15 = as_of → 4 observed (E16).
  E_F   ordinaer 2025-05-20 after PF: week 3 ends 06-16 > as_of → 3 observed.
  E_G   ordinaer 2024-05-01 … 12-31 during praktik PG → 26/26.
  E_J   ordinaer 2022-06-01 (the window's first day) after PJ (ended 05-31) → 26/26.
  E_Ma / E_Mb  elev and ordinaer both 2024-03-15 after PM (ended 02-29) → 26/26 each.
  Not in it: E_K (fleksjob from 2022-05-31, before the window), E_L (starts after as_of), O1–O10.

fct_placement_outcomes — qualifying: other type, start in [start, end + 90], ≥ 28 days:
  PB → E_B 90 days after (final: 03-31 + 118 = 07-27). PC → E_C0 lasts 27 days and E_C starts
  91 days after → none. PD → its own løntilskud record E_D is no outcome; E_D2 next day, not final
  (02-28 + 118 = 06-26 > as_of). PE → E_E lasts 05-19 … as_of = 28 days → 9. PF → E_F 27 days
  → none. PG → E_G started 30 days before the end → −30; no benefit group. PH at A1 (no
  workplace) → none. PM → E_Ma and E_Mb start the same day: the smaller engagement_id (elev).
  No rows: PI (open), PI2 (ends after as_of), PJ (ended before the window).

fct_sdp_followup (days_late of missing = as_of − due):
  S1 sdp_2014, ended 06-30: due 1 01-02 + 55 = 02-26, held 02-20 (the 2022-12-30 conversation is
     before the first absence day); due 2 02-20 + 28 = 03-20, held 03-30 (empty status =
     afholdt) → late 10; the aflyst_borger of 04-10 is not held; due 3 03-30 + 28 = 04-27, held
     05-02 → late 5; due 4 05-02 + 28 = 05-30 missing (747); due 5 06-27 < end 06-30 missing (719);
     due 6 07-25 after the end, not held → dropped.
  S2 sdp_2014, open, fast track 10-10 + 14 = 10-24 before day 55 (11-27): due 1 10-24 held on the
     day; due 2 11-21 held 11-25 (late 4); due 3 12-23 held early 12-20; due 4 2023-01-17
     (udeblevet is not held) missing (880); due 5 02-14 has category 1 (two visitations on 01-20:
     EV207 > EV206) → the chain stops although the case is open.
  S3 sdp_2023, open: fast track 11-10 + 14 = 11-24 < 11-25; the category is 1 from a visitation
     before the first absence day, 2 from 2025-01-15, so on 04-01 (day 182) dues 2–4 exist; held
     01-20 → on time, 04-05 → late 4 (aflyst_kommune on 03-01 is not held), none → missing 75.
  S4 sdp_2023: fast track 02-25 + 14 = 03-11 after day 55 (03-06); the case ended on its due 1,
     nothing held → dropped, as its later dues: no rows.
  S5 sdp_2023: due 1 06-25 (after as_of) held 06-10 → on time; the 06-20 conversation is after
     as_of; category 2 from a visitation before the first absence day, checked on as_of → dues 2–4
     on 10-30 not_due_yet (the case_end_date 07-31 is after as_of: open).
  S6 sdp_2014 (first absence 2023-03-21): fast track 05-05 + 14 = 05-19 after day 55 (05-15);
     held 05-15 → on time; due 2 06-12 after the end 05-20 → dropped.
  S7 sdp_2023 (2023-03-22): due 1 05-16 held 05-20 after the case ended 04-30 → late 4, kept;
     dues 2–4 on 09-20 after the end → dropped.
  S8 (2014-06-30): no rule version → no rows. S10 sdp_2014: 04-25 held 04-20; 05-18 missing
     (1124); 06-15 after the end → dropped. S11 starts after as_of.

fct_rettidighed_monthly — counted dues by the month of the due date, inside the window (S10's
April and May 2022 are before it; S5's 10-30 dues are not_due_yet); the June row is keyed by
as_of and holds S5's due 1 of 06-25.
"""

from __future__ import annotations

import hashlib
import hmac
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from expectations.core import validate
from expectations.suites.jobcenter import SUITES
from tests.support.landing_build import build_landing, mart_columns, rows

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("jobcenter_landing")]

LANDING = Path(__file__).parent / "landing_jobcenter"
AS_OF = date(2025, 6, 15)
SECRET = "jobcenter-e2e-secret"
D = date.fromisoformat


def key(cpr: str) -> str:
    return hmac.new(SECRET.encode(), cpr.replace("-", "").encode(), hashlib.sha256).hexdigest()


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    database = tmp_path_factory.mktemp("jobcenter_landing") / "w.duckdb"
    return database, build_landing(LANDING, database, AS_OF, SECRET)


def test_build_exits_zero_with_every_row_loaded(build):
    database, done = build
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BLOKERENDE" not in done.stdout
    assert rows(database, "SELECT count(*) FROM audit.quarantine WHERE severity = 'error'") == [
        (0,)
    ]


RETENTION_COLUMNS = [
    "engagement_id", "person_key", "engagement_type", "org_unit_id", "start_date",
    "preceded_by_placement", "weeks_observed", "weeks_employed", "retained_13_of_26",
    "window_complete",
]  # fmt: skip
A, B, C = key("010180-1001"), key("020280-1002"), key("030380-1003")
DK, E, F = key("040480-1004"), key("050580-1005"), key("060680-1006")
G, H, J, M = key("070780-1007"), key("080880-1008"), key("101080-1010"), key("121280-1012")
RETENTION = [
    ("E_A", A, "fleksjob", "W1", D("2024-01-01"), False, 26, 26, True, True),
    ("E_B", B, "ordinaer", "W2", D("2024-06-29"), True, 26, 13, True, True),
    ("E_C0", C, "elev", "W1", D("2024-03-01"), True, 26, 12, False, True),
    ("E_D", DK, "loentilskud", "W1", D("2024-09-01"), False, 26, 26, True, True),
    ("E_D2", DK, "ordinaer", "W1", D("2025-03-01"), True, 15, 15, True, False),
    ("E_E", E, "ordinaer", "W2", D("2025-05-19"), True, 4, 4, False, False),
    ("E_F", F, "ordinaer", "W2", D("2025-05-20"), True, 3, 3, False, False),
    ("E_G", G, "ordinaer", "W1", D("2024-05-01"), True, 26, 26, True, True),
    ("E_J", J, "ordinaer", "W2", D("2022-06-01"), True, 26, 26, True, True),
    ("E_Ma", M, "elev", "W1", D("2024-03-15"), True, 26, 26, True, True),
    ("E_Mb", M, "ordinaer", "W1", D("2024-03-15"), True, 26, 26, True, True),
]

OUTCOME_COLUMNS = [
    "placement_id", "person_key", "scheme", "benefit_group", "workplace_id", "end_date",
    "employed_after", "first_engagement_type", "days_to_employment", "window_complete",
]  # fmt: skip
PRAKTIK = "virksomhedspraktik"
OUTCOMES = [
    ("PB", B, PRAKTIK, "kontanthjaelp_jobparat", "W2", D("2024-03-31"), True, "ordinaer", 90, True),
    ("PC", C, "nyttejob", "kontanthjaelp_jobparat", "W1", D("2024-03-31"), False, None, None, True),
    ("PD", DK, "loentilskud", "a_dagpenge", "W1", D("2025-02-28"), True, "ordinaer", 1, False),
    ("PE", E, PRAKTIK, "a_dagpenge", "W2", D("2025-05-10"), True, "ordinaer", 9, False),
    ("PF", F, PRAKTIK, "a_dagpenge", "W2", D("2025-05-10"), False, None, None, False),
    ("PG", G, PRAKTIK, None, "W1", D("2024-05-31"), True, "ordinaer", -30, True),
    ("PH", H, "nyttejob", "uddannelseshjaelp", None, D("2023-03-31"), False, None, None, True),
    ("PM", M, PRAKTIK, "integration", "W1", D("2024-02-29"), True, "elev", 15, True),
]

FOLLOWUP_COLUMNS = [
    "case_id", "person_key", "rule_version", "due_no", "due_date", "held_date", "status",
    "days_late",
]  # fmt: skip
S1, S2, S3 = key("010170-2001"), key("020270-2002"), key("030370-2003")
S5, S6, S7, S10 = key("050570-2005"), key("060670-2006"), key("070770-2007"), key("100170-2010")
V14, V23 = "sdp_2014", "sdp_2023"
FOLLOWUP = [
    ("S1", S1, V14, 1, D("2023-02-26"), D("2023-02-20"), "on_time", 0),
    ("S1", S1, V14, 2, D("2023-03-20"), D("2023-03-30"), "late", 10),
    ("S1", S1, V14, 3, D("2023-04-27"), D("2023-05-02"), "late", 5),
    ("S1", S1, V14, 4, D("2023-05-30"), None, "missing", 747),
    ("S1", S1, V14, 5, D("2023-06-27"), None, "missing", 719),
    ("S10", S10, V14, 1, D("2022-04-25"), D("2022-04-20"), "on_time", 0),
    ("S10", S10, V14, 2, D("2022-05-18"), None, "missing", 1124),
    ("S2", S2, V14, 1, D("2022-10-24"), D("2022-10-24"), "on_time", 0),
    ("S2", S2, V14, 2, D("2022-11-21"), D("2022-11-25"), "late", 4),
    ("S2", S2, V14, 3, D("2022-12-23"), D("2022-12-20"), "on_time", 0),
    ("S2", S2, V14, 4, D("2023-01-17"), None, "missing", 880),
    ("S3", S3, V23, 1, D("2024-11-24"), D("2024-11-20"), "on_time", 0),
    ("S3", S3, V23, 2, D("2025-04-01"), D("2025-01-20"), "on_time", 0),
    ("S3", S3, V23, 3, D("2025-04-01"), D("2025-04-05"), "late", 4),
    ("S3", S3, V23, 4, D("2025-04-01"), None, "missing", 75),
    ("S5", S5, V23, 1, D("2025-06-25"), D("2025-06-10"), "on_time", 0),
    ("S5", S5, V23, 2, D("2025-10-30"), None, "not_due_yet", 0),
    ("S5", S5, V23, 3, D("2025-10-30"), None, "not_due_yet", 0),
    ("S5", S5, V23, 4, D("2025-10-30"), None, "not_due_yet", 0),
    ("S6", S6, V14, 1, D("2023-05-15"), D("2023-05-15"), "on_time", 0),
    ("S7", S7, V23, 1, D("2023-05-16"), D("2023-05-20"), "late", 4),
]

MONTHLY_COLUMNS = [
    "month_end",
    "due_kind",
    "dues",
    "on_time",
    "rettidighed_pct",
    "median_days_late",
]


def _single(month: str, kind: str, dues: int, on_time: int, median: float | None) -> list[tuple]:
    """A month whose counted dues are all of one kind: its row and the identical `all` row."""
    pct = 100 * on_time / dues
    return [(D(month), "all", dues, on_time, pct, median), (D(month), kind, dues, on_time, pct,
                                                            median)]  # fmt: skip


MONTHLY = [
    *_single("2022-10-31", "first", 1, 1, None),  # S2 due 1
    *_single("2022-11-30", "later", 1, 0, 4.0),  # S2 due 2 late 4
    *_single("2022-12-31", "later", 1, 1, None),  # S2 due 3
    *_single("2023-01-31", "later", 1, 0, 880.0),  # S2 due 4 missing
    *_single("2023-02-28", "first", 1, 1, None),  # S1 due 1
    *_single("2023-03-31", "later", 1, 0, 10.0),  # S1 due 2
    *_single("2023-04-30", "later", 1, 0, 5.0),  # S1 due 3
    # May 2023: S6 due 1 on time, S7 due 1 late 4 (first); S1 due 4 missing 747 (later).
    (D("2023-05-31"), "all", 3, 1, 100 / 3, (4 + 747) / 2),
    (D("2023-05-31"), "first", 2, 1, 50.0, 4.0),
    (D("2023-05-31"), "later", 1, 0, 0.0, 747.0),
    *_single("2023-06-30", "later", 1, 0, 719.0),  # S1 due 5
    *_single("2024-11-30", "first", 1, 1, None),  # S3 due 1
    # April 2025: S3 dues 2–4 on 04-01: on time, late 4, missing 75 → median (4 + 75) / 2.
    *_single("2025-04-30", "later", 3, 1, 39.5),
    *_single("2025-06-15", "first", 1, 1, None),  # S5 due 1 (06-25) held on 06-10
]


def _check(database: Path, table: str, spec: list[str], order: str, expected: list[tuple]):
    # the specified columns first, in order
    assert mart_columns(database, table)[: len(spec)] == spec
    got = rows(database, f"SELECT {', '.join(spec)} FROM marts.{table} ORDER BY {order}")
    assert len(got) == len(expected)
    for g, want in zip(got, expected, strict=True):
        assert g == pytest.approx(want), (g, want)


def test_fct_retention_is_the_hand_derived_cohort(build):
    _check(build[0], "fct_retention", RETENTION_COLUMNS, "engagement_id", RETENTION)


def test_fct_placement_outcomes_are_the_hand_derived_outcomes(build):
    _check(build[0], "fct_placement_outcomes", OUTCOME_COLUMNS, "placement_id", OUTCOMES)


def test_fct_sdp_followup_is_the_hand_derived_dues(build):
    _check(build[0], "fct_sdp_followup", FOLLOWUP_COLUMNS, "case_id, due_no", FOLLOWUP)


def test_fct_rettidighed_monthly_is_the_hand_derived_months(build):
    _check(
        build[0], "fct_rettidighed_monthly", MONTHLY_COLUMNS, "month_end, due_kind", sorted(MONTHLY)
    )


def test_the_jobcenter_suites_ran_as_checks_and_pass(build):
    database, done = build
    from dagster import AssetCheckKey, AssetKey

    from orchestration.warehouse import dagster_instance

    # every suite ran as an asset check of the build's run, recorded in the warehouse's history
    instance = dagster_instance(database)
    [run] = instance.get_run_records()
    for suite in SUITES:
        key = AssetCheckKey(AssetKey(suite.asset_key_path), suite.name)
        [execution] = instance.event_log_storage.get_asset_check_execution_history(key, limit=5)
        assert execution.run_id == run.dagster_run.run_id and execution.evaluation.passed
    assert "Kontrol af datamodellerne: " in done.stdout
    with duckdb.connect(str(database), read_only=True) as conn:
        results = [validate(conn, suite) for suite in SUITES]
    assert all(r.success for r in results), [r.summary() for r in results]
