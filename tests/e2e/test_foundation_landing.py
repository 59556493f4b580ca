"""End to end through the real CLI: `rummelig build` on a landing folder written by hand in the
docs/domain.md §3 format (tests/e2e/landing_foundation, not the generator) gives marts.dim_org_unit
and `marts.fct_placements_monthly` exactly as §5.1–5.2 define.

The folder exercises the §3.2 dialect: org_units.csv has a BOM, `;`, a padded mixed-case header,
an extra column, codes in any case and children listed before their parents; engagements.csv
uses `,` with quoted decimal commas; placements come in two deliveries (the later file wins on
placement_id) with DD-MM-YYYY and DD.MM.YYYY dates, a decimal comma and a CPR with and without
dash. config/rules.yml sets history_months 2, so with as_of 2025-03-12 the window is
2025-01-01 … 2025-03-12: month_ends 2025-01-31, 2025-02-28 and 2025-03-12 (= as_of, §5).

Hierarchy (by hand; P = has a P-number → a workplace):
  K615 Testkommune (no P)                          level 0  workplace none (E5)
  ├─ OMR_B Børn og Unge (no P)                     level 1  none
  │  ├─ SKOLE Østbyskolen (P)                      level 2  SKOLE
  │  │  └─ SFO (no P)                              level 3  SKOLE (parent)
  │  │     └─ SFO_G (no P)                         level 4  SKOLE (two levels up)
  │  └─ BH Børnehuset (P)                          level 2  BH
  │     └─ BH_V Vuggestuen (own P)                 level 3  BH_V (nested workplace, E6)
  └─ OMR_T Teknik og Miljø (no P)                  level 1  none
     ├─ VEJ Vej og Park (P)                        level 2  VEJ
     └─ ADM Stab Teknik (no P, none above)         level 2  none (E5)

Placements after the later file wins (FTE = weekly_hours / 37, null → 1.0, rounded to 6):
  P1  A  SFO_G virksomhedspraktik kontanthjaelp_jobparat 20 h (0.540541) 2024-12-02 … 2025-01-31
      (the January file had it open; the March file ends it)
  P2  A  SFO_G loentilskud kontanthjaelp_jobparat 37 h 2025-02-01 … open; previous P1 (chain),
      CPR written without dash: same person_key as P1
  P3  B  SKOLE nyttejob kontanthjaelp_aktivitetsparat 18,5 h (0.5) 2025-01-10 … 2025-02-20
  P4  C  SKOLE nyttejob kontanthjaelp_aktivitetsparat null h (1.0) 2025-01-15 … 2025-03-05
  P5  D  SKOLE loentilskud (no benefit group) 30 h (0.810811) 2025-03-03 … 2025-03-31
  P6  E  BH fleksjob 2025-03-20 … open: starts after as_of → nowhere (E4)
  P7  F  BH_V seniorjob a_dagpenge 37 h 2024-06-01 … open
  P8  G  ADM beskyttet_beskaeftigelse foertidspension 10 h (0.27027) 2025-02-28 … open
  P9  H  VEJ virksomhedspraktik 2024-10-01 … 2024-12-31: ended before the window → nowhere
  P10 F  BH_V seniorjob a_dagpenge 10 h 2025-02-10 … 2025-02-28 (same person as P7)
  P11    invalid CPR (30 February) → quarantined (invalid_cpr), nowhere
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.support.cpr_scan import cpr_hits, landing_cprs
from tests.support.landing_build import build_landing, mart_columns, rows

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("foundation_landing")]

LANDING = Path(__file__).parent / "landing_foundation"
AS_OF = date(2025, 3, 12)
SECRET = "foundation-e2e-secret"
JAN, FEB, MAR = date(2025, 1, 31), date(2025, 2, 28), AS_OF


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    database = tmp_path_factory.mktemp("foundation_landing") / "w.duckdb"
    return database, build_landing(LANDING, database, AS_OF, SECRET)


def test_build_exits_zero_and_summarises_the_load(build):
    _, done = build
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    # org_units 10; placements 5 + 9 rows, P1, P3, P4 delivered twice, P11 rejected → 10
    assert "Rækker pr. register: org_units 10, engagements 2, absences 1, placements 10," in out
    # 1 error (P11); 6 warnings: K615, OMR_B, OMR_T, ADM have no workplace (E5), and P4 has no
    # weekly_hours in both deliveries (§3.3: full time, with a data-quality warning)
    assert (
        "Karantæne: 1 rækker afvist (fejl), 6 advarsler om rækker, der blev indlæst"
        " (se audit.quarantine)"
    ) in out
    assert "BLOKERENDE" not in out


def test_the_dbt_step_ran_in_the_dbt_process_started_with_the_build(build):
    """orchestration/warm_dbt.py: `dbt build` ran on the parse the early dbt process made while
    the build ingested (its record in the warehouse's dbt folder)."""
    from orchestration.warehouse import dbt_target_path
    from orchestration.warm_dbt import RECORD

    database, done = build
    assert done.returncode == 0, done.stdout + done.stderr
    served = json.loads((dbt_target_path(database) / RECORD).read_text(encoding="utf-8"))
    assert served["parsed"] is True
    assert "build" in served["args"]
    assert (
        str(database.with_name(database.name + ".new"))
        in served["args"][served["args"].index("--vars") + 1]
    )


def test_schemas_are_exactly_the_dbt_layers_and_audit(build):
    database, _ = build
    schemas = rows(
        database,
        "SELECT table_schema, count(*) FROM information_schema.tables"
        " WHERE table_catalog = current_database() GROUP BY 1 ORDER BY 1",
    )
    # issue 2 item 4: raw, staging, intermediate, marts (+ audit, §3.2); issue 11: reporting
    # (models made for the reports, docs/architecture.md); nothing in main
    assert [s for s, _ in schemas] == [
        "audit", "intermediate", "marts", "raw", "reporting", "staging",
    ]  # fmt: skip
    audit = rows(database, "SELECT table_name FROM information_schema.tables"
                 " WHERE table_schema = 'audit' ORDER BY 1")  # fmt: skip
    assert audit == [("load_log",), ("quarantine",)]
    audit_columns = {
        table: [c for (c,) in rows(
            database,
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'audit'"
            f" AND table_name = '{table}' ORDER BY ordinal_position",
        )]
        for table in ("load_log", "quarantine")
    }  # fmt: skip
    assert audit_columns == {  # exactly the columns of docs/domain.md §3.2, in its order
        "load_log": ["file_name", "source", "register", "sha256", "status", "rows_read",
                     "rows_loaded", "rows_quarantined", "message", "loaded_at"],
        "quarantine": ["file_name", "register", "row_number", "column_name", "severity",
                       "reason", "detail", "row_masked"],
    }  # fmt: skip


def test_dim_org_unit_is_exactly_the_hand_derived_hierarchy(build):
    database, _ = build
    assert mart_columns(database, "dim_org_unit") == [
        "org_unit_id",
        "name",
        "parent_id",
        "p_number",
        "workplace_type",
        "area",
        "workplace_id",
        "level",
        "path",
    ]
    got = rows(database, "SELECT * FROM marts.dim_org_unit ORDER BY org_unit_id")
    boern, teknik = "Børn og Unge", "Teknik og Miljø"
    assert got == [
        ("ADM", "Stab Teknik", "OMR_T", None, "administration", teknik, None, 2, "K615/OMR_T/ADM"),
        ("BH", "Børnehuset Mælkebøtten", "OMR_B", "1023456789", "daginstitution", boern)
        + ("BH", 2, "K615/OMR_B/BH"),
        # 'DAGINSTITUTION' stored in its canonical spelling; nested P → its own workplace
        ("BH_V", "Vuggestuen Mælkebøtten", "BH", "1034567890", "daginstitution", boern)
        + ("BH_V", 3, "K615/OMR_B/BH/BH_V"),
        ("K615", "Testkommune", None, None, "administration", None, None, 0, "K615"),
        ("OMR_B", boern, "K615", None, None, boern, None, 1, "K615/OMR_B"),
        ("OMR_T", teknik, "K615", None, None, teknik, None, 1, "K615/OMR_T"),
        ("SFO", "Østbyskolens SFO", "SKOLE", None, "skole", boern)
        + ("SKOLE", 3, "K615/OMR_B/SKOLE/SFO"),
        ("SFO_G", "SFO-gruppe Myretuen", "SFO", None, None, boern)
        + ("SKOLE", 4, "K615/OMR_B/SKOLE/SFO/SFO_G"),
        ("SKOLE", "Østbyskolen", "OMR_B", "1012345678", "skole", boern)
        + ("SKOLE", 2, "K615/OMR_B/SKOLE"),
        ("VEJ", "Vej og Park", "OMR_T", "1045678901", "vej_og_park", teknik)
        + ("VEJ", 2, "K615/OMR_T/VEJ"),
    ]


# month_end, org_unit_id, workplace_id, scheme, benefit_group, active_persons, active_fte,
# starts, ends — worked out from the placements in the module docstring.
EXPECTED_MONTHLY = [
    # January: P7 active.
    (JAN, "BH_V", "BH_V", "seniorjob", "a_dagpenge", 1, 1.0, 0, 0),
    # P1 started before the window (no start here) and ends on 31/1: active on its last day.
    (JAN, "SFO_G", "SKOLE", "virksomhedspraktik", "kontanthjaelp_jobparat", 1, 0.540541, 0, 1),
    # P3 (0.5) and P4 (null hours → 1.0) both start in January and are active on 31/1.
    (JAN, "SKOLE", "SKOLE", "nyttejob", "kontanthjaelp_aktivitetsparat", 2, 1.5, 2, 0),
    # February: P8 starts on the month's last day; its unit has no workplace (E11).
    (FEB, "ADM", None, "beskyttet_beskaeftigelse", "foertidspension", 1, 0.27027, 1, 0),
    # P7 and P10 are the same person: 1 person, 1.0 + 10/37 = 1.27027 FTE; P10 starts and ends.
    (FEB, "BH_V", "BH_V", "seniorjob", "a_dagpenge", 1, 1.27027, 1, 1),
    # P2 continues the chain from P1 at the same unit under a new scheme.
    (FEB, "SFO_G", "SKOLE", "loentilskud", "kontanthjaelp_jobparat", 1, 1.0, 1, 0),
    # P3 ended 20/2 (an end inside the month, not active on 28/2); P4 still active.
    (FEB, "SKOLE", "SKOLE", "nyttejob", "kontanthjaelp_aktivitetsparat", 1, 1.0, 0, 1),
    # March, keyed by as_of (2025-03-12).
    (MAR, "ADM", None, "beskyttet_beskaeftigelse", "foertidspension", 1, 0.27027, 0, 0),
    (MAR, "BH_V", "BH_V", "seniorjob", "a_dagpenge", 1, 1.0, 0, 0),
    (MAR, "SFO_G", "SKOLE", "loentilskud", "kontanthjaelp_jobparat", 1, 1.0, 0, 0),
    # P5: null benefit_group is its own group; its end (31/3) is after as_of → not counted.
    (MAR, "SKOLE", "SKOLE", "loentilskud", None, 1, 0.810811, 1, 0),
    # P4 ended 5/3, before as_of: an end, nobody active.
    (MAR, "SKOLE", "SKOLE", "nyttejob", "kontanthjaelp_aktivitetsparat", 0, 0.0, 0, 1),
]


def test_fct_placements_monthly_is_exactly_the_hand_count(build):
    database, _ = build
    assert mart_columns(database, "fct_placements_monthly") == [
        "month_end",
        "org_unit_id",
        "workplace_id",
        "scheme",
        "benefit_group",
        "active_persons",
        "active_fte",
        "starts",
        "ends",
    ]
    got = rows(
        database,
        "SELECT * FROM marts.fct_placements_monthly"
        " ORDER BY month_end, org_unit_id, scheme, benefit_group NULLS FIRST",
    )
    assert [r[:6] + r[7:] for r in got] == [e[:6] + e[7:] for e in EXPECTED_MONTHLY]
    assert [r[6] for r in got] == pytest.approx([e[6] for e in EXPECTED_MONTHLY], abs=1e-9)


def test_dashed_and_undashed_cpr_give_one_person_key(build):
    database, _ = build
    expected = hmac.new(SECRET.encode(), b"1503901234", hashlib.sha256).hexdigest()
    got = rows(
        database,
        "SELECT placement_id, person_key, previous_placement_id FROM raw.placements"
        " WHERE placement_id IN ('P1', 'P2') ORDER BY 1",
    )
    assert got == [("P1", expected, None), ("P2", expected, "P1")]


def test_warnings(build):
    database, _ = build
    assert rows(
        database,
        "SELECT file_name, row_number, column_name, reason FROM audit.quarantine"
        " WHERE severity = 'warning' ORDER BY ALL",
    ) == [
        ("org_units.csv", 4, "p_number", "no_workplace"),  # OMR_B
        ("org_units.csv", 7, "p_number", "no_workplace"),  # K615
        ("org_units.csv", 8, "p_number", "no_workplace"),  # OMR_T
        ("org_units.csv", 10, "p_number", "no_workplace"),  # ADM
        ("placements_2025-01.csv", 3, "weekly_hours", "missing_hours"),  # P4
        ("placements_2025-03.csv", 4, "weekly_hours", "missing_hours"),  # P4 again
    ]


def test_load_log_and_quarantine(build):
    database, _ = build
    log = rows(
        database,
        "SELECT file_name, status, rows_read, rows_loaded, rows_quarantined FROM audit.load_log"
        " ORDER BY file_name",
    )
    assert log == [
        ("absences.csv", "loaded", 1, 1, 0),
        ("engagements.csv", "loaded", 2, 2, 0),
        ("org_units.csv", "loaded", 10, 10, 0),
        ("placements_2025-01.csv", "loaded", 5, 5, 0),
        ("placements_2025-03.csv", "loaded", 9, 8, 1),
    ]
    errors = rows(
        database,
        "SELECT file_name, row_number, column_name, reason, detail, row_masked"
        " FROM audit.quarantine WHERE severity = 'error'",
    )
    assert errors == [
        (
            "placements_2025-03.csv",
            9,
            "cpr",
            "invalid_cpr",
            "cpr: ugyldigt CPR-nummer '300290-****'",
            "P11;300290-****;VEJ;nyttejob;kontanthjaelp_jobparat;37;01-02-2025;;;;",
        )
    ]


def test_no_cpr_anywhere_and_the_scan_would_see_one(build, tmp_path):
    database, _ = build
    cprs = landing_cprs(LANDING)
    assert len(cprs) == 11  # persons A–H, P11's invalid CPR, E1 and E2
    with duckdb.connect(str(database), read_only=True) as conn:
        assert cpr_hits(conn, cprs) == []
    # Negative control: the same scan on a copy with a leaked CPR, with and without dash.
    leaked = tmp_path / "leaked.duckdb"
    shutil.copyfile(database, leaked)
    with duckdb.connect(str(leaked)) as conn:
        conn.execute("UPDATE audit.quarantine SET detail = detail || ' 300290-1234'")
        conn.execute(
            "UPDATE raw.placements SET end_reason = 'x 1503901234' WHERE placement_id = 'P2'"
        )
        hits = {(s, t, c) for s, t, c, *_ in cpr_hits(conn, cprs)}
    assert {("audit", "quarantine", "detail"), ("raw", "placements", "end_reason")} <= hits
