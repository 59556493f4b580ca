"""End to end: a hand-written landing folder (tests/e2e/landing_kpi) → the real `rummelig build`
(ingest → dbt → GX through Dagster) → marts.fct_kpi compared with rows derived by hand
(docs/domain.md §3.5, §5.8, E22–E23).

config/rules.yml: history_months 8, small_cell_min_persons 3, require_inclusion_approval "ja".
as_of 2025-09-12 → window 2025-01-01 … 2025-09-12: months Jan–Sep (September ends on as_of),
Q1, Q2, Q3 (ends 12/9) and the year 2025 (ends 12/9).

Organisation: K (root) → A1 Børn og Unge → W1 Skolen (P, approved) → W1S (no P);
K → A2 Teknik og Miljø (`area` Teknik) → W2 Vej og Park (P, approval ended 2024-12-31);
K → A3 Administration → W3 Jobværkstedet (P, approved, no ordinary staff) and N (no P anywhere
above: no workplace).
Staff: W1 5 ordinary (E1–E5) + R3 ordinary from 3/3; W2 10 ordinary (E6–E15); F1 fleksjob
18.5 h at W1; R1 fleksjob from 6/1, R2 løntilskud 3/2–30/3, R4 fleksjob from 2/6, all at W3.
Placements (all schemes are local-quota schemes by default):
  P1 løntilskud W1S since 2024-11 (open) · P2 praktik W1 3/2–28/2 (20 h) · P3 nyttejob W2 from
  3/3 · P4 fleksjob at N from 15/1 · P5 seniorjob W2 from 10/3 (same person as P3) · P6 nyttejob
  W2 6/1–31/3 · P7 løntilskud W3 1/12/2024–31/1 · P8 praktik W3 5/5–30/6.

By hand:
- Active persons on each month end: Jan P1 P4 P6 P7 = 4; Feb P1 P2 P4 P6 = 4; Mar P1 P4 P6
  P3/P5 (one person) = 4; Apr P1 P4 P3 = 3; May, Jun + P8 = 4; Jul–Sep 3.
- Quota status on month ends (W1 allowed 1, W2 allowed 2, W3 allowed 0): W1 at, over in Feb
  (P1 + P2); W2 under, at on 31/3 (P6 + the P3/P5 person); W3 over in Jan (P7), May and Jun
  (P8), otherwise 0 ordinary and 0 placed → not counted. % over: Jan 1/3, Feb 1/2, May 1/3,
  Jun 1/3, else 0/2.
- Breaches by start date: P6 6/1 not_approved; P2 3/2 over_local_quota + over_statutory (one
  placement); P3 3/3 and P5 10/3 not_approved; P8 5/5 over_local_quota (W3 has 0 ordinary).
  P1, P7 started before the window; P4 has no workplace.
- Retention cohort (complete when start + 181 ≤ 12/9): R1 fleksjob 6/1 (W3) retained; R2
  løntilskud 3/2–30/3 (W3) 8 weeks, not retained; R3 ordinary 3/3 at W1 after P2 retained; R4
  2/6 not complete.
- Outcomes (complete when end + 118 ≤ 12/9): P7 ended 31/1, its person's løntilskud engagement
  is the placement's own payroll record → not employed; P2 ended 28/2 → R3 (ordinary, 3 days
  later) → employed; P6 ended 31/3 → not employed; P8 (30/6) not complete.
- Rettidighed (sdp_2023: due 1 = first absence + 55): C1 due 6/3 held 1/3 on time; C2 due 28/3
  held 2/4 late; C3 due 25/4 missing, category 3 → dues 2–4 on 30/8 missing; C4 fast track
  25/6 + 14 = 9/7, held 8/7 on time. all: Mar 1/2, Apr 0/1, Jul 1/1, Aug 0/3; first: Mar 1/2,
  Apr 0/1, Jul 1/1.
- Sickness: S1 E1 6–10/1 = 5 days × 7.4 = 37.0 h; S2 F1 3–4/2 = 2 × 3.7 = 7.4 h; S3 E6 10–12/3
  = 22.2 h; S5 R1 5–9/5 = 5 × 3.7 = 18.5 h; S4 is barn_syg (not sickness). Contracted hours are
  recomputed here from the engagements and an independent Danish working-day calendar.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from dateutil.easter import easter

from orchestration.cli import cli
from tests.support.landing_build import rows

pytestmark = pytest.mark.xdist_group("kpi_e2e")

LANDING = Path(__file__).parent / "landing_kpi"
AS_OF = date(2025, 9, 12)
MUNICIPALITY = "615"
SMALL_CELL = 3


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[Path, str]:
    database = tmp_path_factory.mktemp("kpi_e2e") / "kpi.duckdb"
    saved = os.environ.get("RUMMELIG_PSEUDONYM_KEY")
    os.environ["RUMMELIG_PSEUDONYM_KEY"] = "kpi-e2e-secret"
    try:
        args = ["build", "--input", str(LANDING), "--database", str(database)]
        result = CliRunner().invoke(cli, [*args, "--as-of", AS_OF.isoformat()])
    finally:
        if saved is None:
            os.environ.pop("RUMMELIG_PSEUDONYM_KEY", None)
        else:
            os.environ["RUMMELIG_PSEUDONYM_KEY"] = saved
    assert result.exit_code == 0, result.output
    return database, result.output


# --- periods --------------------------------------------------------------------------------

MONTHS = [f"2025-{m:02d}" for m in range(1, 10)]
QUARTERS = ["2025Q1", "2025Q2", "2025Q3"]
LABELS = [*MONTHS, *QUARTERS, "2025"]


def period(label: str) -> tuple[str, date, date]:
    """(period_type, period_start, period_end = min(natural end, as_of)) of a label (E22)."""
    if label == "2025":
        return "year", date(2025, 1, 1), min(date(2025, 12, 31), AS_OF)
    if "Q" in label:
        q = int(label[-1])
        start = date(2025, 3 * q - 2, 1)
        end = date(2025, 3 * q + 1, 1) - timedelta(days=1) if q < 4 else date(2025, 12, 31)
        return "quarter", start, min(end, AS_OF)
    m = int(label[5:])
    end = (date(2025, m + 1, 1) if m < 12 else date(2026, 1, 1)) - timedelta(days=1)
    return "month", date(2025, m, 1), min(end, AS_OF)


def months_of(label: str) -> list[str]:
    _, start, end = period(label)
    return [m for m in MONTHS if start <= period(m)[1] <= end]


def last_month(label: str) -> str:
    return months_of(label)[-1]


# --- hand tables (month values; snapshots and flows give the quarters and the year) -----------

PLACEMENTS_ACTIVE = {  # persons on each month end, per scope
    "615": [4, 4, 4, 3, 4, 4, 3, 3, 3],
    "A1": [1, 2, 1, 1, 1, 1, 1, 1, 1],
    "A2": [1, 1, 2, 1, 1, 1, 1, 1, 1],
    "A3": [2, 1, 1, 1, 2, 2, 1, 1, 1],
}
QUOTA_OVER = {  # (workplaces over, workplaces with staff or placed) on each month end
    "615": [(1, 3), (1, 2), (0, 2), (0, 2), (1, 3), (1, 3), (0, 2), (0, 2), (0, 2)],
    "A1": [(0, 1), (1, 1), *[(0, 1)] * 7],
    "A2": [(0, 1)] * 9,
    "A3": [(1, 1), (0, 0), (0, 0), (0, 0), (1, 1), (1, 1), (0, 0), (0, 0), (0, 0)],
}
BREACHES = {  # placements with a breach started in each month
    "615": [1, 1, 2, 0, 1, 0, 0, 0, 0],
    "A1": [0, 1, 0, 0, 0, 0, 0, 0, 0],
    "A2": [1, 0, 2, 0, 0, 0, 0, 0, 0],
    "A3": [0, 0, 0, 0, 1, 0, 0, 0, 0],
}

# (retained or employed, cohort) by the month of start_date / end_date, per scope; every
# cohort engagement and ended placement here is a different person.
RETENTION = {
    "615": {"2025-01": (1, 1), "2025-02": (0, 1), "2025-03": (1, 1)},
    "A1": {"2025-03": (1, 1)},
    "A2": {},
    "A3": {"2025-01": (1, 1), "2025-02": (0, 1)},
}
OUTCOMES = {
    "615": {"2025-01": (0, 1), "2025-02": (1, 1), "2025-03": (0, 1)},
    "A1": {"2025-02": (1, 1)},
    "A2": {"2025-03": (0, 1)},
    "A3": {"2025-01": (0, 1)},
}
# (on time, dues, cases) by the month of the due date; kommune only.
RETTIDIGHED = {
    "rettidighed_pct": {
        "2025-03": (1, 2, {"C1", "C2"}),
        "2025-04": (0, 1, {"C3"}),
        "2025-07": (1, 1, {"C4"}),
        "2025-08": (0, 3, {"C3"}),
    },
    "rettidighed_first_pct": {
        "2025-03": (1, 2, {"C1", "C2"}),
        "2025-04": (0, 1, {"C3"}),
        "2025-07": (1, 1, {"C4"}),
    },
}

# Engagements: (id, area, staff group, daily hours, start, end)
ENGAGEMENTS = [
    *[(f"E{i}", "A1", "ordinaere", 7.4, date(2020, 8, 1), None) for i in range(1, 6)],
    *[(f"E{i}", "A2", "ordinaere", 7.4, date(2020, 8, 1), None) for i in range(6, 16)],
    ("F1", "A1", "inklusion", 3.7, date(2024, 1, 1), None),
    ("R1", "A3", "inklusion", 3.7, date(2025, 1, 6), None),
    ("R2", "A3", "inklusion", 7.4, date(2025, 2, 3), date(2025, 3, 30)),
    ("R3", "A1", "ordinaere", 7.4, date(2025, 3, 3), None),
    ("R4", "A3", "inklusion", 3.7, date(2025, 6, 2), None),
]
# Sickness hours by (area, group, month)
ABSENCE = {
    ("A1", "ordinaere", "2025-01"): 37.0,
    ("A1", "inklusion", "2025-02"): 7.4,
    ("A2", "ordinaere", "2025-03"): 22.2,
    ("A3", "inklusion", "2025-05"): 18.5,
}
ENGAGEMENT_PERSONS = {e[0]: e[0] for e in ENGAGEMENTS}


def holidays(year: int) -> set[date]:
    e = easter(year)
    days = {e + timedelta(days=d) for d in (-3, -2, 1, 39, 50)}
    if year <= 2023:
        days.add(e + timedelta(days=26))  # store bededag
    return days | {date(year, m, d) for m, d in ((1, 1), (6, 5), (12, 24), (12, 25), (12, 26),
                                                 (12, 31))}  # fmt: skip


def working_days(start: date, end: date) -> int:
    off = holidays(start.year) | holidays(end.year)
    days = (start + timedelta(days=i) for i in range((end - start).days + 1))
    return sum(1 for d in days if d.weekday() < 5 and d not in off)


def sickness(scope: str, group: str, label: str) -> tuple[float, float, int]:
    """(absence hours, contracted hours, persons) of a scope, staff group and period."""
    _, start, end = period(label)
    contracted, persons = 0.0, set()
    for eid, area, staff_group, daily, e_start, e_end in ENGAGEMENTS:
        if (scope != MUNICIPALITY and area != scope) or group not in ("alle", staff_group):
            continue
        first, last = max(start, e_start), min(end, e_end or end)
        if first <= last:
            contracted += daily * working_days(first, last)
            persons.add(ENGAGEMENT_PERSONS[eid])
    absence = sum(
        hours
        for (area, staff_group, month), hours in ABSENCE.items()
        if (scope == MUNICIPALITY or area == scope)
        and group in ("alle", staff_group)
        and month in months_of(label)
    )
    return absence, round(contracted, 6), len(persons)


def expected_value(kpi: str, scope: str, label: str):
    """(value, numerator, denominator, suppressed) derived from the hand tables."""
    months = months_of(label)
    i = MONTHS.index(last_month(label))
    if kpi == "placements_active":
        value = PLACEMENTS_ACTIVE[scope][i]
        return value, None, None, 0 < value < SMALL_CELL
    if kpi == "quota_workplaces_over_pct":
        over, base = QUOTA_OVER[scope][i]
        return (100.0 * over / base if base else None), over, base, False
    if kpi == "quota_breaches":
        return sum(BREACHES[scope][MONTHS.index(m)] for m in months), None, None, False
    if kpi in ("retention_13_26_pct", "placement_employment_pct"):
        table = (RETENTION if kpi == "retention_13_26_pct" else OUTCOMES)[scope]
        numerator = sum(table.get(m, (0, 0))[0] for m in months)
        denominator = sum(table.get(m, (0, 0))[1] for m in months)
        value = 100.0 * numerator / denominator if denominator else None
        return value, numerator, denominator, 0 < denominator < SMALL_CELL
    if kpi in RETTIDIGHED:
        table = RETTIDIGHED[kpi]
        numerator = sum(table.get(m, (0, 0, set()))[0] for m in months)
        denominator = sum(table.get(m, (0, 0, set()))[1] for m in months)
        cases = set().union(*(table.get(m, (0, 0, set()))[2] for m in months))
        value = 100.0 * numerator / denominator if denominator else None
        return value, numerator, denominator, 0 < len(cases) < SMALL_CELL
    group = kpi.removeprefix("sickness_pct_")
    absence, contracted, persons = sickness(scope, group, label)
    value = 100.0 * absence / contracted if contracted else None
    return value, absence, contracted, 0 < persons < SMALL_CELL


# Targets applied, by (kpi, scope) → label → (target_value, direction, source); the rules of E23
# applied by hand to config/targets.csv (rows 1–14).
YEAR_2025 = dict.fromkeys(LABELS)
TARGETS = {
    ("placements_active", "615"): {lb: (4.0, "min", "byraad") for lb in LABELS},
    ("quota_workplaces_over_pct", "615"): {lb: (10.0, "max", "HMU") for lb in LABELS},
    # Row 3 is Q1 only: the year (1/1–12/9) is not inside it.
    ("quota_breaches", "615"): {
        lb: (0.0, "max", "HMU; årshjul") for lb in ("2025-01", "2025-02", "2025-03", "2025Q1")
    },
    # Row 4 for the year; February: rows 5 and 6 are equally narrow, the later (6) wins.
    ("sickness_pct_alle", "615"): {
        lb: (0.5, "max", "byraad") if lb == "2025-02" else (2.0, "max", "HMU") for lb in LABELS
    },
    # Row 7 names A2 by its `area` value ' teknik ' (case and spaces), row 8 A1 by unit id.
    ("sickness_pct_ordinaere", "A2"): {lb: (3.0, "max", "HMU") for lb in LABELS},
    ("sickness_pct_ordinaere", "A1"): {lb: (4.0, "max", "HMU") for lb in LABELS},
    # Row 10 names A3 by its name, April–June.
    ("placements_active", "A3"): {
        lb: (2.0, "min", "HMU") for lb in ("2025-04", "2025-05", "2025-06", "2025Q2")
    },
    ("retention_13_26_pct", "615"): {lb: (50.0, "min", "byraad") for lb in LABELS},
    ("placement_employment_pct", "615"): {lb: (50.0, "min", "byraad") for lb in LABELS},
    ("rettidighed_pct", "615"): {lb: (90.0, "min", "jobcenter") for lb in LABELS},
    # Row 14 is July–September: the months and Q3 (1/7–12/9), not the year.
    ("rettidighed_first_pct", "615"): {
        lb: (95.0, "min", "ministermaal") for lb in ("2025-07", "2025-08", "2025-09", "2025Q3")
    },
}
KPIS = [
    "placements_active",
    "quota_workplaces_over_pct",
    "quota_breaches",
    "sickness_pct_alle",
    "sickness_pct_ordinaere",
    "sickness_pct_inklusion",
    "retention_13_26_pct",
    "placement_employment_pct",
    "rettidighed_pct",
    "rettidighed_first_pct",
]
SCOPES = [("kommune", "615"), ("area", "A1"), ("area", "A2"), ("area", "A3")]
KOMMUNE_ONLY = {"rettidighed_pct", "rettidighed_first_pct"}


def expected_rows() -> dict[tuple, tuple]:
    out = {}
    for kpi in KPIS:
        for scope_type, scope in SCOPES:
            if kpi in KOMMUNE_ONLY and scope_type != "kommune":
                continue
            for label in LABELS:
                value, numerator, denominator, suppressed = expected_value(kpi, scope, label)
                target, direction, source = TARGETS.get((kpi, scope), {}).get(
                    label, (None, None, None)
                )
                met = None
                if target is not None and value is not None:
                    met = value >= target if direction == "min" else value <= target
                out[(kpi, scope_type, scope, label)] = (
                    value, target, direction, met, numerator, denominator, suppressed, source,
                )  # fmt: skip
    return out


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-8


def test_build_passes_every_blocking_check_and_warns_about_two_things(build):
    _, output = build
    from expectations.suites import all_suites

    described = {s.name: s.description for s in all_suites()}
    failed = [line for line in output.splitlines() if line.startswith("  Advarsel: ")]
    assert [line.rsplit(" (tabel ", 1)[1] for line in failed] == [
        "marts.fct_inclusion_reconciliation)",
        "marts.fct_kpi)",
    ]
    # each warning is the suite's Danish description, not its name
    for line, suite in zip(
        failed, ["fct_inclusion_reconciliation", "fct_kpi_targets_unmatched"], strict=True
    ):
        assert line.startswith("  Advarsel: " + described[suite][:20]), line
    assert "BLOKERENDE" not in output


def test_targets_file_is_logged_and_its_bad_rows_quarantined(build):
    db, _ = build
    assert rows(
        db,
        "SELECT source, register, status, rows_read, rows_loaded, rows_quarantined"
        " FROM audit.load_log WHERE file_name = 'targets.csv'",
    ) == [("config", "targets", "loaded", 17, 14, 3)]
    assert rows(
        db,
        "SELECT row_number, column_name, reason FROM audit.quarantine"
        " WHERE register = 'targets' ORDER BY row_number",
    ) == [
        (15, "kpi", "unknown_code"),
        (16, "period_end", "end_before_start"),
        (17, "target_value", "invalid_number"),
    ]
    # The Danish-Excel cells: DD-MM-YYYY and DD.MM.YYYY, decimal comma, a quoted `;`.
    assert rows(
        db,
        "SELECT file_row, period_start, target_value, source FROM raw.targets"
        " WHERE file_row IN (2, 3, 4) ORDER BY file_row",
    ) == [
        (2, date(2025, 1, 1), 10.0, "HMU"),
        (3, date(2025, 1, 1), 0.0, "HMU; årshjul"),
        (4, date(2025, 1, 1), 2.0, "HMU"),
    ]


def test_a_quoted_ja_requires_approval(build):
    db, _ = build
    assert rows(
        db, "SELECT require_inclusion_approval, small_cell_min_persons FROM raw.rules_general"
    ) == [(True, 3)]


def test_every_row_of_fct_kpi_matches_the_hand_derivation(build):
    db, _ = build
    got = {
        (r[0], r[1], r[2], r[3]): r[4:]
        for r in rows(
            db,
            """SELECT kpi, scope_type, scope_id, period_label, value, target_value, direction,
                      target_met, numerator, denominator, suppressed, target_source
               FROM marts.fct_kpi""",
        )
    }
    expected = expected_rows()
    # 8 KPIs × 4 scopes + 2 kommune-only KPIs, × 13 periods; no more rows
    assert len(expected) == (8 * 4 + 2) * 13
    assert sorted(got) == sorted(expected)
    wrong = []
    for key, want in expected.items():
        have = got[key]
        same = all(_close(h, w) if isinstance(w, float) else h == w for h, w in
                   zip(have, want, strict=True))  # fmt: skip
        if not same:
            wrong.append((key, have, want))
    assert wrong == []


def test_periods_end_on_as_of_and_are_keyed_by_their_natural_start(build):
    db, _ = build
    got = rows(
        db,
        """SELECT DISTINCT period_label, period_type, period_start, period_end FROM marts.fct_kpi
           ORDER BY period_type, period_start""",
    )
    assert got == sorted([(lb, *period(lb)) for lb in LABELS], key=lambda r: (r[1], r[2]))
    assert (("2025", "year", date(2025, 1, 1), AS_OF)) in got


def test_kommune_rows_carry_the_municipality_code_and_the_root_name(build):
    db, _ = build
    assert rows(
        db, "SELECT DISTINCT scope_id, scope_name FROM marts.fct_kpi WHERE scope_type = 'kommune'"
    ) == [("615", "Testby Kommune (testdata)")]
    assert rows(
        db,
        "SELECT DISTINCT scope_id, scope_name FROM marts.fct_kpi WHERE scope_type = 'area'"
        " ORDER BY 1",
    ) == [("A1", "Børn og Unge"), ("A2", "Teknik"), ("A3", "Administration")]


def test_the_target_for_another_municipality_is_the_one_unmatched(build):
    db, _ = build
    from expectations.suites.kpi import UNMATCHED_TARGETS_SQL

    assert [(r[0], r[2], r[-1]) for r in rows(db, UNMATCHED_TARGETS_SQL)] == [
        ("sickness_pct_inklusion", "616", 9)
    ]
