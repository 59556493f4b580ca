"""The hmu report on the shared demo warehouse (400 employees, as_of 2025-11-15): a real build.

Every expectation is computed here with plain SQL on the published marts (and the staging
engagements for the union areas), not with the report's reporting models: the Resumé's
sentences, the XLSX cells, the hidden cells (empty), the print setup, a quarter report, and the
CLI (`--year`, `--quarter`, a bad quarter).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.registry import run_report

pytestmark = pytest.mark.xdist_group("hmu_demo")

AS_OF = date(2025, 11, 15)
YEAR_END = AS_OF  # 2025 is running: its snapshot is as_of
Q3_END, Q2_END = date(2025, 9, 30), date(2025, 6, 30)
INCLUSION_TYPES = ("fleksjob", "fleksjob_foer_2013", "loentilskud", "skaanejob",
                   "saerlige_vilkaar", "seniorjob")  # fmt: skip
# Babel's da_DK month abbreviations
MONTHS = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.",
          "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]  # fmt: skip


def da_date(d: date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def da_pct(x: float) -> str:
    text = str(Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.replace(".", ",") + "\u00a0%"


def sql(db: Path, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(query, params or []).fetchall()


def one(db: Path, query: str, params: list | None = None):
    return sql(db, query, params)[0][0]


@pytest.fixture(scope="module")
def files(demo_warehouse, tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("hmu_demo")
    db = demo_warehouse.database
    year = run_report("hmu", db, year="2025", out_dir=out)
    quarter = run_report("hmu", db, quarter="2025q3", out_dir=out)
    return {
        "2025": {p.suffix: p for p in year},
        "2025Q3": {p.suffix: p for p in quarter},
    }


@pytest.fixture(scope="module")
def book(files):
    return openpyxl.load_workbook(files["2025"][".xlsx"])


@pytest.fixture(scope="module")
def resume(book) -> list[str]:
    return [r[0] for r in book["Resumé"].iter_rows(min_row=4, values_only=True) if r[0]]


def rows(ws) -> list[tuple]:
    """Data rows below the header (row 3) up to the blank line before the notes."""
    out = []
    for row in ws.iter_rows(min_row=4, values_only=True):
        if all(v is None for v in row):
            break
        out.append(tuple(v.date() if isinstance(v, datetime) else v for v in row))
    return out


def over_local(db: Path, day: date) -> set[str]:
    return {
        r[0]
        for r in sql(
            db,
            "select workplace_id from marts.fct_quota_status "
            "where month_end = ? and status_local = 'over'",
            [day],
        )
    }


# --- files and the Resumé ---------------------------------------------------------------------


def test_the_demo_renders_the_hmu_report_for_the_as_of_year(demo_warehouse):
    names = {p.name for p in demo_warehouse.reports.iterdir()}
    assert {"hmu_2025.html", "hmu_2025.xlsx"} <= names  # the report asset of the demo build


def test_the_resume_has_five_to_eight_sentences_in_html_and_xlsx(files, resume):
    html = files["2025"][".html"].read_text(encoding="utf-8")
    assert 5 <= len(resume) <= 8
    first = html.index('id="resume"')
    assert first < html.index('id="aarshjul"')  # the Resumé comes first
    for sentence in resume:
        assert sentence.replace("&", "&amp;") in html


def test_resume_quota_sentence_equals_fct_quota_status(demo_warehouse, resume):
    db = demo_warehouse.database
    now, before = over_local(db, YEAR_END), over_local(db, date(2024, 12, 31))
    text = (
        f"{len(now)} arbejdspladser er over den lokale kvote pr. {da_date(AS_OF)}, "
        f"mod {len(before)} ved udgangen af 2024"
    )
    sentence = next(s for s in resume if "over den lokale kvote pr." in s)
    assert sentence.startswith(text), sentence
    entered, left = len(now - before), len(before - now)
    if entered:
        assert f"{entered} er kommet til" in sentence
    if left:
        assert f"{left} er ude igen" in sentence


def test_resume_karens_and_approval_equal_fct_quota_status(demo_warehouse, resume):
    db = demo_warehouse.database
    karens, unapproved, full = sql(
        db,
        """select count(*) filter (where in_karens),
                  count(*) filter (where not approved and extraordinary_persons > 0),
                  count(*) filter (where status_local = 'at' and extraordinary_persons > 0)
           from marts.fct_quota_status where month_end = ?""",
        [YEAR_END],
    )[0]
    place = "arbejdsplads" if karens == 1 else "arbejdspladser"
    assert (
        f"{karens} {place} er i karensperiode, {unapproved} har ekstraordinært ansatte uden "
        f"godkendelse, og {full} er på kvoten med ekstraordinært ansatte."
    ) in resume


def test_resume_breach_sentence_equals_fct_quota_breaches(demo_warehouse, resume):
    db = demo_warehouse.database
    count = "select count(distinct placement_id) from marts.fct_quota_breaches "
    count += "where start_date between ? and ?"
    now = one(db, count, [date(2025, 1, 1), AS_OF])
    before = one(db, count, [date(2024, 1, 1), date(2024, 12, 31)])
    top = sql(
        db,
        """select breach_type, count(distinct placement_id) as n from marts.fct_quota_breaches
           where start_date between ? and ? group by 1 order by n desc""",
        [date(2025, 1, 1), AS_OF],
    )
    sentence = next(s for s in resume if s.startswith("I 2025 startede"))
    assert sentence.startswith(f"I 2025 startede {now} forløb med brud på reglerne, mod {before}")
    labels = {
        "not_approved": "arbejdspladsen ikke godkendt",
        "karens": "start i karensperiode",
        "over_local_quota": "over den lokale kvote",
        "over_statutory": "over rimelighedskravet",
        "merbeskaeftigelse": "merbeskæftigelseskravet ikke opfyldt",
    }
    assert f"hyppigst: {labels[top[0][0]]}" in sentence and f"({top[0][1]}" in sentence


def test_resume_sickness_sentence_equals_fct_sickness(demo_warehouse, resume):
    db = demo_warehouse.database
    pct = dict(
        sql(
            db,
            """select staff_group, absence_pct from marts.fct_sickness s
               join marts.dim_org_unit u using (org_unit_id)
               where u.parent_id is null and period_type = 'year'
                 and period_start = date '2025-01-01'""",
        )
    )
    sentence = next(s for s in resume if s.startswith("Sygefraværet var"))
    assert sentence.startswith(
        f"Sygefraværet var {da_pct(pct['ordinaere'])} for ordinært ansatte og "
        f"{da_pct(pct['alle'])} for alle ansatte"
    ), sentence
    gap = Decimal(str(pct["alle"] - pct["ordinaere"])).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if gap > 0:
        assert f"{str(gap).replace('.', ',')} procentpoint op" in sentence


def test_resume_inclusion_and_targets_equal_the_marts(demo_warehouse, resume):
    db = demo_warehouse.database
    persons = one(
        db, "select sum(active_persons) from marts.fct_placements_monthly where month_end = ?",
        [AS_OF],
    )  # fmt: skip
    assert f"Pr. {da_date(AS_OF)} var {persons} personer i ekstraordinære forløb" in resume[0]
    with_target, met, missed = sql(
        db,
        """select count(*) filter (where target_value is not null),
                  count(*) filter (where target_met and not suppressed),
                  count(*) filter (where not target_met and not suppressed)
           from marts.fct_kpi where scope_type = 'kommune' and period_type = 'year'
             and period_start = date '2025-01-01'""",
    )[0]
    assert any(
        s.startswith(f"Af {with_target} måltal for kommunen er {met} nået og {missed} ikke nået")
        for s in resume
    ), resume


# --- XLSX against the marts -------------------------------------------------------------------


def test_xlsx_quota_status_counts_and_workplaces_equal_the_mart(demo_warehouse, book):
    db = demo_warehouse.database
    got = {r[0]: r[1:3] for r in rows(book["Kvotestatus"])}
    status = "select count(*) from marts.fct_quota_status where month_end = ? and "
    for label, where in (
        ("Over den lokale kvote", "status_local = 'over'"),
        ("I karensperiode", "in_karens"),
        ("Over rimelighedskravet", "status_statutory = 'over'"),
        ("Ekstraordinært ansatte uden godkendelse", "not approved and extraordinary_persons > 0"),
    ):
        want = (one(db, status + where, [YEAR_END]), one(db, status + where, [date(2024, 12, 31)]))
        assert got[label] == want, label
    flagged = sql(
        db,
        """select u.name, s.ordinary_headcount, s.extraordinary_persons, s.allowed_local,
                  s.headroom_local
           from marts.fct_quota_status s join marts.dim_org_unit u on u.org_unit_id = s.workplace_id
           where s.month_end = ? and (status_local = 'over' or in_karens
                 or (status_local = 'at' and extraordinary_persons > 0)
                 or (not approved and extraordinary_persons > 0) or status_statutory = 'over')""",
        [YEAR_END],
    )
    sheet = [(r[0], r[2], r[3], r[4], r[5]) for r in rows(book["Arbejdspladser"])]
    assert sorted(sheet) == sorted(flagged) and flagged


def test_xlsx_breaches_by_type_equal_the_mart(demo_warehouse, book):
    db = demo_warehouse.database
    per_type = dict(
        sql(
            db,
            """select breach_type, count(distinct placement_id) from marts.fct_quota_breaches
               where start_date between ? and ? group by 1""",
            [date(2025, 1, 1), AS_OF],
        )
    )
    got = rows(book["Brud pr. type"])
    labels = ["Arbejdspladsen ikke godkendt", "Start i karensperiode", "Over den lokale kvote",
              "Over rimelighedskravet", "Merbeskæftigelseskravet ikke opfyldt"]  # fmt: skip
    codes = ["not_approved", "karens", "over_local_quota", "over_statutory", "merbeskaeftigelse"]
    assert [r[0] for r in got[:5]] == labels
    assert [r[1] for r in got[:5]] == [per_type.get(c, 0) for c in codes]
    listed = rows(book["Brud"])
    assert len(listed) == got[-1][1]  # one row per placement with a breach
    assert all(str(r[0].year) == "2025" for r in listed)
    for r in listed:  # readable: Danish dates, no internal rule names
        assert "2025-" not in r[4] and "bek_2636_2021" not in r[4], r


def test_xlsx_sickness_equals_fct_sickness_and_hides_small_groups(demo_warehouse, book):
    db = demo_warehouse.database
    want = {
        (name, g): (pct, persons, suppressed)
        for name, g, pct, persons, suppressed in sql(
            db,
            """select u.name, s.staff_group, s.absence_pct, s.persons, s.suppressed
               from marts.fct_sickness s join marts.dim_org_unit u using (org_unit_id)
               where u.level <= 1 and period_type = 'year' and period_start = date '2025-01-01'""",
        )
    }
    got = rows(book["Sygefravær"])
    assert len(got) == 1 + one(db, "select count(*) from marts.dim_org_unit where level = 1")
    hidden = 0
    for r in got:
        for i, g in enumerate(("ordinaere", "alle", "inklusion")):
            pct, persons = r[2 + 2 * i], r[3 + 2 * i]
            w_pct, w_persons, suppressed = want.get((r[0], g), (None, 0, False))
            if suppressed and w_persons > 0:
                assert pct is None and persons is None, (r[0], g)  # primary: an empty cell
            if persons is None:
                hidden += 1
                continue
            assert persons == w_persons, (r[0], g)
            assert pct == pytest.approx(w_pct) if w_pct is not None else pct is None
    top = got[0]
    assert top[0].startswith("Horsens Kommune") and top[3] is not None  # the municipality shows
    assert hidden > 0  # the demo has small inklusion groups


def test_xlsx_inclusion_tables_equal_the_marts_with_small_counts_empty(demo_warehouse, book):
    db = demo_warehouse.database
    schemes = dict(
        sql(
            db,
            """select scheme, sum(active_persons) from marts.fct_placements_monthly
               where month_end = ? group by 1""",
            [AS_OF],
        )
    )
    got = rows(book["Ordninger"])
    assert got[-1][0] == "I alt" and got[-1][1] == sum(schemes.values())
    names = dict(sql(db, "select label_da, code from raw.code_labels where code_list = 'scheme'"))
    for label, persons, _fte in got[:-1]:
        want = schemes.get(names[label], 0)
        if persons is not None:
            assert persons == want, label
        if 0 < want < 5:
            assert persons is None, label
    assert any(r[1] is None for r in got)  # small schemes are hidden
    union = dict(
        sql(
            db,
            f"""select coalesce(union_area, 'Uoplyst'), count(distinct person_key)
                from staging.stg_engagements
                where engagement_type in {INCLUSION_TYPES}
                  and start_date <= ? and (end_date is null or end_date >= ?)
                group by 1""",
            [AS_OF, AS_OF],
        )
    )
    labels = {"andet": "Andet"}
    got = rows(book["Faglig organisation"])
    assert got[-1][1] == sum(union.values())
    shown = {r[0]: r[1] for r in got[:-1]}
    assert set(shown) == {labels.get(k, k) for k in union}
    for code, n in union.items():
        value = shown[labels.get(code, code)]
        if value is not None:
            assert value == n, code
        if 0 < n < 5:
            assert value is None, code


def test_xlsx_targets_equal_fct_kpi_and_hidden_values_are_empty(demo_warehouse, book):
    db = demo_warehouse.database
    want = sql(
        db,
        """select value, target_value, target_met, suppressed from marts.fct_kpi
           where scope_type = 'kommune' and period_type = 'year'
             and period_start = date '2025-01-01' order by kpi""",
    )
    kpi_order = [r[0] for r in sql(db, "select kpi from marts.fct_kpi group by kpi order by kpi")]
    labels = [r[0] for r in sql(db, "select label_da from raw.kpi_definitions order by kpi")]
    got = {r[0]: r for r in rows(book["Måltal"]) if r[1].startswith("Horsens Kommune")}
    assert len(got) == len(kpi_order) == 10
    for label, (value, target, met, suppressed) in zip(labels, want, strict=True):
        row = got[label]
        assert row[4] == target
        if suppressed:
            assert row[3] is None and row[6] == "Skjult", label
        elif value is None:
            assert row[3] is None and row[6] == "Ingen tal", label
        else:
            assert row[3] == pytest.approx(value), label
            assert row[6] == {True: "✓ Nået", False: "✗ Ikke nået", None: "Intet mål"}[met]


def test_xlsx_aarshjul_months_and_print_setup(book):
    from ingest.rules import merged_rules

    wheel = rows(book["Årshjul"])
    assert [r[0] for r in wheel] == [f"{m} 2025" for m in MONTHS]
    assert [r[1] for r in wheel] == [f"2025-{m:02d}" for m in range(1, 13)]
    topics = merged_rules(None).aarshjul
    assert [r[2] or None for r in wheel] == [topics.get(m) for m in range(1, 13)]
    assert [r[3] for r in wheel] == ["Ja"] * 12  # a year report covers every month
    assert [r[4] for r in wheel].index("Ja") == AS_OF.month - 1
    assert book.properties.title == "HMU: årshjul og status 2025"
    assert book.properties.keywords == "syntetiske data"
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        # one page wide (fitToWidth 1 is Excel's default and left out), any number of pages tall
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows == "$3:$3", ws.title  # the header row on every page
        assert ws.freeze_panes == "A4", ws.title
        assert ws["A1"].value and "Syntetiske data" in [c.value for c in ws[1]], ws.title
    assert book["Arbejdspladser"].page_setup.orientation == "landscape"
    assert book["Brud pr. type"].page_setup.orientation == "portrait"


# --- a quarter --------------------------------------------------------------------------------


def test_a_quarter_report_compares_with_the_previous_quarter(demo_warehouse, files):
    db = demo_warehouse.database
    assert files["2025Q3"][".html"].name == "hmu_2025Q3.html"
    q = openpyxl.load_workbook(files["2025Q3"][".xlsx"])
    resume = [r[0] for r in q["Resumé"].iter_rows(min_row=4, values_only=True) if r[0]]
    now, before = over_local(db, Q3_END), over_local(db, Q2_END)
    assert any(
        s.startswith(
            f"{len(now)} arbejdspladser er over den lokale kvote pr. {da_date(Q3_END)}, "
            f"mod {len(before)} ved udgangen af 2. kvt. 2025"
        )
        for s in resume
    ), resume
    wheel = rows(q["Årshjul"])
    assert [r[3] for r in wheel] == [""] * 6 + ["Ja"] * 3 + [""] * 3  # jul.–sep.
    trend = [c.value for c in q["Måltal udvikling"][3]]
    assert trend[1::2] == ["4. kvt. 2024", "1. kvt. 2025", "2. kvt. 2025", "3. kvt. 2025"]


# --- CLI --------------------------------------------------------------------------------------


def _cli(capsys, *args: str) -> tuple[int, list[str]]:
    """`rummelig …` in this process (as the console script runs it): exit code, stderr lines."""
    from orchestration.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err.strip().splitlines()


def test_cli_year_quarter_and_a_bad_quarter(demo_warehouse, tmp_path, capsys):
    db = str(demo_warehouse.database)
    assert _cli(capsys, "report", "hmu", "--database", db, "--year", "2025", "--out",
                str(tmp_path)) == (0, [])  # fmt: skip
    assert _cli(capsys, "report", "hmu", "--database", db, "--quarter", "2025Q3", "--out",
                str(tmp_path)) == (0, [])  # fmt: skip
    assert {p.name for p in tmp_path.iterdir()} == {
        "hmu_2025.html", "hmu_2025.xlsx", "hmu_2025Q3.html", "hmu_2025Q3.xlsx"
    }  # fmt: skip
    for args, message in (
        (["--quarter", "2025Q5"],
         "Fejl: Ugyldigt kvartal '2025Q5': skriv år og kvartal 1–4, fx --quarter 2025Q3."),
        (["--year", "25"], "Fejl: Ugyldigt år '25': skriv fire cifre, fx --year 2025."),
        (["--period", "2025-11"],
         "Fejl: Rapporten hmu laves for et år eller et kvartal, ikke for en måned (fik 2025-11)."),
        (["--year", "2025", "--quarter", "2025Q3"],
         "Fejl: Angiv perioden én gang (fik --year, --quarter)."),
        ([], "Fejl: Angiv rapportens periode: --year 2025 eller --quarter 2025Q3 eller "
             "--period 2025."),
    ):  # fmt: skip
        out = tmp_path / "x"
        code, err = _cli(capsys, "report", "hmu", "--database", db, *args, "--out", str(out))
        assert (code, err) == (2, [message]), args
        assert not out.exists()


def test_the_quarter_snapshot_is_the_quarters_last_month_end(files):
    html = files["2025Q3"][".html"].read_text(encoding="utf-8")
    assert f"Arbejdspladser pr. status {da_date(Q3_END)}" in html
    assert f"ændringen siden {da_date(Q2_END)}" in html
