"""End to end: a hand-written landing folder (tests/e2e/landing_quota, docs/domain.md §3 format) →
ingest.landing.load_landing → dbt build of the quota marts → GX quota suites.

The folder, as_of 2025-06-15 (window 2022-06-01 … 2025-06-15), by hand:
  K615 (root, no P) ─ A1 (no P) ─ W1 Plejecenter Sol (P, approved from 2020-01-01, open)
                     │           │  └─ W1S afsnit B (no P → workplace W1)
                     │           └─ W2 Børnehuset (P, approved 2024-01-01 … 2024-12-31)
                     └─ W3 Vej og Park Nord (P, approved from 2021-01-01)
  W1: 5 ordinaer full time since 2020 (one in W1S).
  W2: 10 ordinaer since 2023-01-01; E30 dismissed (afskediget) 2025-01-15; E31 born 2008 (under 18).
  W3: 4 ordinaer since 2021 and a fleksjob (E45) matching placement P4.
  P1 løntilskud W1S 2025-02-01 (37 h) · P2 praktik W1 2025-03-10 (20 h) · P3 løntilskud W2
  2025-04-10 · P4 fleksjob W3 2024-09-01 · P5 nyttejob at A1 (no workplace) · P6 seniorjob 2021.
Breaches, by hand:
  P1 on 2025-02-01 at W1: 1 extraordinary ≤ allowed floor(5/5) = 1; statutory 1.0 FTE ≤ 1
     (N = 4-month FTE average 5) → none; headcount 5 = 12-month mean 5 → no merbeskæftigelse.
  P2 on 2025-03-10 at W1: 2 extraordinary (P1, P2) > 1 → over_local_quota; statutory FTE
     1 + 20/37 = 1.540541 > max(1, floor(5/5)) = 1 → over_statutory.
  P3 on 2025-04-10 at W2: approval ended 2024-12-31 → not_approved; 2025-04-10 − 3 months =
     2025-01-10 ≤ 2025-01-15 < 2025-04-10 → karens (until 2025-04-15); headcount 10 (E31 is
     under 18) < mean of Apr 2024 … Mar 2025 = (9 × 11 + 3 × 10) / 12 = 10.75 → merbeskaeftigelse;
     local 1 ≤ floor(10/5) = 2; statutory 1 ≤ floor(10.25/5) = 2 (N = (11 + 10 + 10 + 10) / 4).
  P4 on 2024-09-01 at W3: 1 extraordinary > floor(4/5) = 0 → over_local_quota (fleksjob is
     no statutory scheme).
  P5 has no workplace and P6 starts before the window: not judged.
Reconciliation: E47 (løntilskud in HR, no placement) and P3 (løntilskud, no engagement);
E46 ↔ P1 and E45 ↔ P4 match.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from expectations.core import validate
from expectations.suites.quota import STATUS_CONTRADICTIONS_SQL, SUITES
from ingest.landing import load_landing
from tests.support.landing_build import rows
from tests.support.warehouse import run_dbt

pytestmark = pytest.mark.xdist_group("quota")

LANDING = Path(__file__).parent / "landing_quota"
AS_OF = date(2025, 6, 15)
QUOTA_MARTS = ["+fct_quota_status", "+fct_quota_breaches", "+fct_inclusion_reconciliation"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("quota_e2e") / "quota.duckdb"
    saved = {k: os.environ.get(k) for k in ("RUMMELIG_PSEUDONYM_KEY", "DBT_INDIRECT_SELECTION")}
    os.environ["RUMMELIG_PSEUDONYM_KEY"] = "quota-e2e-secret"
    # Only the quota lineage is built; tests on shared parents that also need other marts stay out.
    os.environ["DBT_INDIRECT_SELECTION"] = "cautious"
    try:
        with duckdb.connect(str(db)) as conn:
            load_landing(conn, LANDING)
        run_dbt("build", database=db, as_of=AS_OF, select=QUOTA_MARTS)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return db


def test_landing_folder_loads_without_rejected_rows(warehouse):
    assert rows(warehouse, "SELECT count(*) FROM audit.quarantine WHERE severity = 'error'") == [
        (0,)
    ]
    assert rows(warehouse, "SELECT count(*) FROM raw.engagements") == [(24,)]
    assert rows(warehouse, "SELECT count(*) FROM raw.placements") == [(6,)]


def test_expected_breaches_by_placement_and_type(warehouse):
    got = set(rows(warehouse, "SELECT placement_id, breach_type FROM marts.fct_quota_breaches"))
    assert got == {
        ("P2", "over_local_quota"),
        ("P2", "over_statutory"),
        ("P3", "not_approved"),
        ("P3", "karens"),
        ("P3", "merbeskaeftigelse"),
        ("P4", "over_local_quota"),
    }


def test_breach_details_carry_the_numbers(warehouse):
    details = dict(
        rows(
            warehouse,
            "SELECT placement_id || '/' || breach_type, detail FROM marts.fct_quota_breaches",
        )
    )
    assert details["P2/over_local_quota"] == "2 ekstraordinære, tilladt 1 (5 ordinære, 5 årsværk)"
    assert details["P3/karens"] == "karens til 2025-04-15 efter afskedigelse 2025-01-15"
    assert details["P3/merbeskaeftigelse"] == (
        "10 ordinært ansatte ved start, gennemsnit 10,75 de 12 foregående måneder"
    )
    assert details["P4/over_local_quota"].startswith("1 ekstraordinære, tilladt 0")


STATUS_COLUMNS = """month_end, workplace_id, ordinary_headcount, ordinary_fte,
    extraordinary_persons, allowed_local, headroom_local, status_local, statutory_version,
    statutory_count, statutory_basis, ordinary_fte_4m_avg, allowed_statutory, status_statutory,
    in_karens, karens_until, approved"""


@pytest.mark.parametrize(
    "month_end, workplace_id, expected",
    [
        # W1 on 2025-03-31: P1 + P2 → 2 > 1; statutory 1.540541 FTE > 1 (N = 5.0, Nov–Feb).
        (
            date(2025, 3, 31),
            "W1",
            (5, 5.0, 2, 1, -1, "over", "bek_2636_2021", 1.540541, "fte_4m_avg", 5.0, 1, "over")
            + (False, None, True),
        ),
        # W2 on 2025-03-31: N = (11 + 11 + 10 + 10) / 4 = 10.5; karens until 2025-04-15;
        # approval ended 2024-12-31.
        (
            date(2025, 3, 31),
            "W2",
            (10, 10.0, 0, 2, 2, "under", "bek_2636_2021", 0.0, "fte_4m_avg", 10.5, 2, "ok")
            + (True, date(2025, 4, 15), False),
        ),
        # The month containing as_of is keyed by as_of; karens over (2025-03-15 > 2025-01-15).
        (
            AS_OF,
            "W2",
            (10, 10.0, 1, 2, 1, "under", "bek_2636_2021", 1.0, "fte_4m_avg", 10.0, 2, "ok")
            + (False, None, False),
        ),
        # First window month: W3 has 4 ordinary → allowed 0, nobody placed → at.
        (
            date(2022, 6, 30),
            "W3",
            (4, 4.0, 0, 0, 0, "at", "bek_2636_2021", 0.0, "fte_4m_avg", 4.0, 1, "ok")
            + (False, None, True),
        ),
    ],
)
def test_quota_status_rows(warehouse, month_end, workplace_id, expected):
    got = rows(
        warehouse,
        f"SELECT {STATUS_COLUMNS} FROM marts.fct_quota_status "
        f"WHERE month_end = DATE '{month_end}' AND workplace_id = '{workplace_id}'",
    )
    assert got == [(month_end, workplace_id, *expected)]


def test_every_workplace_every_window_month(warehouse):
    # 3 workplaces (K615 and A1 have no P-number) × 37 months (2022-06 … 2025-06).
    assert rows(
        warehouse,
        "SELECT count(*), count(DISTINCT workplace_id), count(DISTINCT month_end), "
        "max(month_end) FROM marts.fct_quota_status",
    ) == [(111, 3, 37, AS_OF)]


def test_reconciliation_lists_the_unmatched_records(warehouse):
    got = rows(
        warehouse,
        "SELECT record_type, record_id, reason_code FROM marts.fct_inclusion_reconciliation "
        "ORDER BY 1, 2",
    )
    assert got == [("engagement", "E47", "no_placement"), ("placement", "P3", "no_engagement")]


def test_quota_suites_pass_and_reconciliation_warns(warehouse):
    with duckdb.connect(str(warehouse)) as conn:
        results = {s.name: validate(conn, s) for s in SUITES}
    blocking = [r for r in results.values() if r.blocking]
    assert blocking and all(r.success for r in blocking), [r.summary() for r in blocking]
    reconciliation = results["fct_inclusion_reconciliation"]
    assert not reconciliation.success and not reconciliation.blocking
    assert reconciliation.row_count == 2


def test_consistency_suite_catches_a_wrong_headroom(warehouse):
    with duckdb.connect(str(warehouse)) as conn:
        frame = conn.sql("SELECT * FROM marts.fct_quota_status").df()
    frame.loc[0, "headroom_local"] = frame.loc[0, "headroom_local"] + 1
    suite = next(s for s in SUITES if s.query == STATUS_CONTRADICTIONS_SQL)
    with duckdb.connect() as conn:
        conn.execute("CREATE SCHEMA marts")
        conn.register("tampered", frame)
        conn.execute("CREATE TABLE marts.fct_quota_status AS SELECT * FROM tampered")
        result = validate(conn, suite)
    assert not result.success and result.row_count == 1
