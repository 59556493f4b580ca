"""marts.fct_sickness on a small hand-made register set with the real Danish calendar.

Reporting window: history_months 5 and as_of 2024-06-30 → January–June 2024. Working days 2024:
Jan 22 (1/1), Feb 21, Mar 19 (28/3, 29/3), Apr 21 (1/4), May 21 (9/5, 20/5), Jun 19 (5/6);
Q1 62, Q2 61, year 123. Units: root K with workplaces A and B.
- A: o1–o5 ordinary, 37 h (7.4 h/day), since 2023.
- B: b1–b4 ordinary since 2023; l1 løntilskud 1/1–15/3/2024, then ordinary in B from 16/3;
  f1 part-time fleksjob 15 h (3.0 h/day) from 1/2/2024.
Spells: o1 Easter 27/3–2/4 (working days 27/3 and 2/4 only); o2 22–26/4 (store bededag 26/4 is
a working day in 2024); o3 open from 24/6; o4 § 56 5–6/2; f1 partial 4–8/3 with 6 hours;
l1 11–20/3 on the løntilskud engagement (sick 11–15/3 there; the ordinary engagement gets
nothing); b1 27/12/2023–5/1/2024 (Jan 2–5 counted; 7 sick working days in the look-back).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.support.warehouse import empty_warehouse, run_dbt

pytestmark = pytest.mark.xdist_group("sickness")

AS_OF = date(2024, 6, 30)

ORG_UNITS = [
    ("K", "Kommune", None, None),
    ("A", "Plejecenter A", "K", "1000000001"),
    ("B", "Skole B", "K", "1000000002"),
]
# engagement_id, person, unit, type, weekly_hours, start, end
ENGAGEMENTS = [
    *[(f"eo{i}", f"o{i}", "A", "ordinaer", 37.0, "2023-01-01", None) for i in range(1, 6)],
    *[(f"eb{i}", f"b{i}", "B", "ordinaer", 37.0, "2023-01-01", None) for i in range(1, 5)],
    ("el1", "l1", "B", "loentilskud", 37.0, "2024-01-01", "2024-03-15"),
    ("el1o", "l1", "B", "ordinaer", 37.0, "2024-03-16", None),
    ("ef1", "f1", "B", "fleksjob", 15.0, "2024-02-01", None),
]
# absence_id, engagement_id, cause, from, to, hours, s56
ABSENCES = [
    ("s_o1", "eo1", "egen_sygdom", "2024-03-27", "2024-04-02", None, False),
    ("s_o2", "eo2", "egen_sygdom", "2024-04-22", "2024-04-26", None, False),
    ("s_o3", "eo3", "egen_sygdom", "2024-06-24", None, None, False),
    ("s_o4", "eo4", "arbejdsskade", "2024-02-05", "2024-02-06", None, True),
    ("s_o5", "eo5", "barn_syg", "2024-02-12", "2024-02-16", None, False),
    ("s_f1", "ef1", "delvis_sygdom", "2024-03-04", "2024-03-08", 6.0, False),
    ("s_l1", "el1", "egen_sygdom", "2024-03-11", "2024-03-20", None, False),
    ("s_b1", "eb1", "egen_sygdom", "2023-12-27", "2024-01-05", None, False),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sickness")
    rules = tmp / "rules.yml"
    rules.write_text("history_months: 5\n", encoding="utf-8")
    database = empty_warehouse(tmp / "sickness.duckdb", rules)
    with duckdb.connect(str(database)) as conn:
        conn.executemany(
            "insert into raw.org_units (org_unit_id, name, parent_id, p_number, _source_file,"
            " _row_number) values (?, ?, ?, ?, 'test', 1)",
            ORG_UNITS,
        )
        conn.executemany(
            "insert into raw.engagements (engagement_id, person_key, birth_date, org_unit_id,"
            " engagement_type, weekly_hours, start_date, end_date, _source_file, _row_number)"
            " values (?, ?, date '1980-01-01', ?, ?, ?, ?, ?, 'test', 1)",
            ENGAGEMENTS,
        )
        conn.executemany(
            "insert into raw.absences (absence_id, engagement_id, cause, from_date, to_date,"
            " hours, s56, _source_file, _row_number) values (?, ?, ?, ?, ?, ?, ?, 'test', 1)",
            ABSENCES,
        )
    run_dbt("run", database=database, as_of=AS_OF, select=["+fct_sickness", "+dim_org_unit"])
    run_dbt(
        "test", database=database, as_of=AS_OF, select=["fct_sickness", "intermediate.sickness"]
    )
    return database


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Read-write like dbt's own in-process connection: DuckDB refuses a second access mode."""
    with duckdb.connect(str(database)) as conn:
        return conn.execute(sql, params or []).fetchall()


def row(database: Path, unit: str, period_type: str, start: str, group: str) -> dict:
    rows = query(
        database,
        "select * from marts.fct_sickness where org_unit_id = ? and period_type = ?"
        " and period_start = ? and staff_group = ?",
        [unit, period_type, start, group],
    )
    assert len(rows) == 1, (unit, period_type, start, group)
    names = [c[0] for c in query(database, "describe marts.fct_sickness")]
    return dict(zip(names, rows[0], strict=True))


def test_root_year_all_staff(warehouse: Path) -> None:
    r = row(warehouse, "K", "year", "2024-01-01", "alle")
    # Contracted: 7.4 × (A 5×123 + b1–b4 4×123 + l1 løntilskud 22+21+11 + l1 ordinary from 16/3
    # 8+61) + f1 3.0 × (21+19+61) = 7.4 × 1230 + 303 = 9405.
    assert r["contracted_hours"] == pytest.approx(9405.0)
    # Absence: o1 2×7.4 + o2 5×7.4 + o3 5×7.4 + o4 2×7.4 + f1 6 + l1 5×7.4 + b1 4×7.4 = 176.2.
    assert r["absence_hours"] == pytest.approx(176.2)
    assert r["absence_days"] == pytest.approx(176.2 / 7.4, abs=1e-4)
    assert r["absence_pct"] == pytest.approx(100 * 176.2 / 9405, abs=1e-4)
    assert r["fte"] == pytest.approx(9405 / (7.4 * 123), abs=1e-4)
    assert r["persons"] == 11  # o1–o5, b1–b4, l1, f1
    # Ended in the window: o1, o2, o4 (kort, 2 days), f1, l1, b1 (10 days); o3 is open.
    assert (r["spells_ended"], r["spells_kort"], r["spells_mellem"], r["spells_lang"]) == (
        6,
        1,
        5,
        0,
    )
    assert r["s56_absence_days"] == pytest.approx(2.0)  # o4: 14.8 h
    # Only b1 has ≥ 6 sick working days in 2/7/2023–30/6/2024 (27–29/12 + 2–5/1 = 7).
    assert r["persons_at_trigger"] == 1
    assert r["suppressed"] is False


def test_easter_and_store_bededag(warehouse: Path) -> None:
    # o1 27/3–2/4: 28/3, 29/3 and 1/4 are holidays, 30–31/3 a weekend → 1 day in March, 1 in April.
    march = row(warehouse, "A", "month", "2024-03-01", "ordinaere")
    assert march["absence_hours"] == pytest.approx(7.4)
    assert march["spells_ended"] == 0  # o1 has absence in March but ends in April
    # April: o1 7.4 + o2 22–26/4 = 5 days (26/4/2024 is a working day) = 37.0 → 44.4.
    april = row(warehouse, "A", "month", "2024-04-01", "ordinaere")
    assert april["absence_hours"] == pytest.approx(44.4)
    assert april["spells_ended"] == 2  # o1 ends 2/4 and o2 26/4: counted in April, not March
    assert april["contracted_hours"] == pytest.approx(5 * 21 * 7.4)


def test_loentilskud_to_ordinary_during_a_spell(warehouse: Path) -> None:
    inklusion = row(warehouse, "B", "month", "2024-03-01", "inklusion")
    # l1 løntilskud 1–15/3 = 11 days × 7.4 = 81.4 + f1 19 × 3.0 = 57.0.
    assert inklusion["contracted_hours"] == pytest.approx(138.4)
    # l1 11–15/3 = 37.0 + f1 partial 6 hours spread over 5 days = 6.0.
    assert inklusion["absence_hours"] == pytest.approx(43.0)
    assert inklusion["spells_ended"] == 2
    assert inklusion["persons"] == 2
    assert inklusion["suppressed"] is True
    ordinaere = row(warehouse, "B", "month", "2024-03-01", "ordinaere")
    # b1–b4 19 × 7.4 each + l1 ordinary 18–27/3 = 8 days.
    assert ordinaere["contracted_hours"] == pytest.approx(4 * 19 * 7.4 + 8 * 7.4)
    assert ordinaere["absence_hours"] == 0.0  # the spell stays on the løntilskud engagement
    # l1 counts in both groups; alle counts persons once.
    assert ordinaere["persons"] == 5
    assert row(warehouse, "B", "month", "2024-03-01", "alle")["persons"] == 6


def test_suppression_at_four_versus_five_persons(warehouse: Path) -> None:
    february = row(warehouse, "B", "month", "2024-02-01", "ordinaere")
    assert (february["persons"], february["suppressed"]) == (4, True)
    march = row(warehouse, "B", "month", "2024-03-01", "ordinaere")
    assert (march["persons"], march["suppressed"]) == (5, False)


def test_open_spell_counts_up_to_as_of_and_never_ends(warehouse: Path) -> None:
    june = row(warehouse, "A", "month", "2024-06-01", "ordinaere")
    assert june["absence_hours"] == pytest.approx(37.0)  # 24–28/6
    assert june["spells_ended"] == 0


def test_trigger_look_back_reaches_before_the_window(warehouse: Path) -> None:
    # b1's 27–29/12/2023 lie before the window but count in the 365-day look-back.
    january = row(warehouse, "B", "month", "2024-01-01", "alle")
    assert (january["persons"], january["persons_at_trigger"]) == (5, 1)  # b1–b4, l1
    # b1's window part (2–5/1) is only 4 days: 29.6 hours, spell ended in January.
    assert january["absence_hours"] == pytest.approx(29.6)


def test_quarters_and_years_are_the_sum_of_their_months(warehouse: Path) -> None:
    mismatches = query(
        warehouse,
        """
        with months as (
            select org_unit_id, staff_group, period_start as month_start,
                contracted_hours, absence_hours, s56_absence_days, spells_ended,
                spells_kort, spells_mellem, spells_lang
            from marts.fct_sickness where period_type = 'month'
        ),
        longer as (select * from marts.fct_sickness where period_type in ('quarter', 'year'))
        select longer.org_unit_id, longer.period_type, longer.period_start, longer.staff_group
        from longer
        left join months
            on months.org_unit_id = longer.org_unit_id
            and months.staff_group = longer.staff_group
            and months.month_start between longer.period_start and longer.period_end
        group by all
        having abs(any_value(longer.contracted_hours) - coalesce(sum(months.contracted_hours), 0))
                > 1e-6
            or abs(any_value(longer.absence_hours) - coalesce(sum(months.absence_hours), 0)) > 1e-6
            or abs(any_value(longer.s56_absence_days) - coalesce(sum(months.s56_absence_days), 0))
                > 1e-3
            or any_value(longer.spells_ended) != coalesce(sum(months.spells_ended), 0)
            or any_value(longer.spells_kort) != coalesce(sum(months.spells_kort), 0)
            or any_value(longer.spells_mellem) != coalesce(sum(months.spells_mellem), 0)
            or any_value(longer.spells_lang) != coalesce(sum(months.spells_lang), 0)
        """,
    )
    assert mismatches == []
    quarters = query(
        warehouse, "select count(*) from marts.fct_sickness where period_type = 'quarter'"
    )
    assert quarters[0][0] > 0


def test_alle_hours_are_ordinaere_plus_inklusion(warehouse: Path) -> None:
    bad = query(
        warehouse,
        """
        select org_unit_id, period_type, period_start
        from marts.fct_sickness
        group by all
        having abs(sum(contracted_hours) filter (where staff_group = 'alle')
                   - coalesce(sum(contracted_hours) filter (where staff_group <> 'alle'), 0))
                > 1e-6
            or abs(sum(absence_hours) filter (where staff_group = 'alle')
                   - coalesce(sum(absence_hours) filter (where staff_group <> 'alle'), 0))
                > 1e-6
        """,
    )
    assert bad == []


def test_sickness_suites_pass_on_the_mart(warehouse: Path) -> None:
    from expectations.core import validate
    from expectations.suites.sickness import SUITES

    with duckdb.connect(str(warehouse)) as conn:
        failed = [r for r in (validate(conn, s) for s in SUITES) if not r.success]
    assert failed == []


def test_sickness_suites_catch_broken_roll_ups(warehouse: Path) -> None:
    from expectations.core import validate
    from expectations.suites.sickness import SUITES

    suites = {s.name: s for s in SUITES}
    with duckdb.connect(str(warehouse)) as conn:
        conn.begin()
        try:
            # The root's alle hours no longer equal A + B, nor ordinaere + inklusion.
            conn.execute(
                "update marts.fct_sickness set contracted_hours = contracted_hours + 1"
                " where org_unit_id = 'K' and staff_group = 'alle' and period_type = 'year'"
            )
            # An absence above the contracted hours (as a too large registered `hours` would do).
            conn.execute(
                "update marts.fct_sickness set absence_hours = contracted_hours + 1,"
                " absence_pct = 101 where org_unit_id = 'A' and period_type = 'month'"
                " and period_start = '2024-01-01' and staff_group = 'ordinaere'"
            )
            results = {name: validate(conn, suite) for name, suite in suites.items()}
        finally:
            conn.rollback()
    assert results["fct_sickness"].success
    assert not results["fct_sickness_groups"].success
    assert not results["fct_sickness_hierarchy"].success
    assert not results["fct_sickness_plausible"].success


# docs/domain.md §5.4, in its order: the grain, then the measures as the spec lists them.
SPEC_COLUMNS = [
    "org_unit_id", "period_type", "period_start", "staff_group",
    "contracted_hours", "absence_hours", "absence_days", "absence_pct", "fte",
    "absence_days_per_fte", "persons", "spells_ended", "spells_kort", "spells_mellem",
    "spells_lang", "s56_absence_days", "persons_at_trigger", "suppressed",
]  # fmt: skip


def test_the_spec_columns_come_first_and_its_formulas_hold_on_them(warehouse: Path) -> None:
    names = [c[0] for c in query(warehouse, "describe marts.fct_sickness")]
    assert names[: len(SPEC_COLUMNS)] == SPEC_COLUMNS
    worst = query(
        warehouse,
        """
        select
            max(abs(absence_days - absence_hours / 7.4)),
            max(abs(absence_pct - 100 * absence_hours / contracted_hours)),
            max(abs(fte - contracted_hours / (7.4 * working_days))),
            max(abs(absence_days_per_fte - absence_days / fte)),
            count(*) filter (where contracted_hours = 0 and absence_pct is not null)
        from marts.fct_sickness
        """,
    )[0]
    assert all(w < 1e-9 for w in worst[:4]), worst
    assert worst[4] == 0
