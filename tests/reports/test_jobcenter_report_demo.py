"""The jobcenter report on the session's demo warehouse (400 employees, as_of 2025-11-15, window
from 2022-11-01): every figure in the XLSX equals what plain SQL over the published marts gives
(fct_sdp_followup, fct_placement_outcomes, fct_retention, fct_kpi, fct_benchmark — not the
reporting models the report reads), every group of 1–4 persons is an empty cell, the print setup
and document properties are those of the other reports, the HTML hides what the XLSX hides and
marks the rule versions and the partial month, and the CLI runs it for a year and a quarter.
The disclosure audit of these files is in test_disclosure_demo.py.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.registry import run_report

pytestmark = pytest.mark.xdist_group("jobcenter_report_demo")

MIN = 5
KIND_LABELS = {"Alle samtaler": "all", "Første samtale": "first", "Senere samtaler": "later"}
COUNTED = "status in ('on_time', 'late', 'missing')"


@pytest.fixture(scope="module")
def files(demo_warehouse, tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("jobcenter")
    return {
        period: {
            p.suffix: p
            for p in run_report("jobcenter", demo_warehouse.database, period=period, out_dir=out)
        }
        for period in ("2025", "2025Q3")
    }


@pytest.fixture(scope="module")
def db(demo_warehouse):
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        yield conn


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """The data rows of a sheet: from under the header (row 3) to the first empty row."""
    out = []
    for row in openpyxl.load_workbook(path)[sheet].iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        out.append(row)
    return out


def window(db) -> tuple[date, date]:
    return db.execute("select window_start, as_of from marts.meta_build").fetchone()


def dues_sql(db, start: date, end: date, kind: str, extra: str = "") -> str:
    """Counted dues with a due date in [start, end] inside the window's months (E18), of a kind."""
    ws, as_of = window(db)
    last = date(as_of.year + as_of.month // 12, as_of.month % 12 + 1, 1)
    kind_filter = "" if kind == "all" else f"and due_kind = '{kind}'"
    return f"""from marts.fct_sdp_followup where {COUNTED} {kind_filter} {extra}
        and due_date between date '{max(start, ws)}' and date '{end}'
        and due_date < date '{last}'"""


def expected_rett(db, start: date, end: date, kind: str) -> dict:
    base = dues_sql(db, start, end, kind)
    dues, on_time, late, missing, persons, cases = db.execute(
        f"""select count(*), count(*) filter (where status = 'on_time'),
            count(*) filter (where status = 'late'), count(*) filter (where status = 'missing'),
            count(distinct person_key), count(distinct case_id) filter (where status = 'missing')
            {base}"""
    ).fetchone()
    return {
        "dues": dues,
        "on_time": on_time,
        "late": late,
        "missing": missing,
        "pct": 100.0 * on_time / dues if dues else None,
        "persons": persons,
        "cases_missing": cases,
    }


def target(db, kpi: str, period_type: str, start: date) -> float | None:
    row = db.execute(
        "select target_value from marts.fct_kpi where kpi = ? and scope_type = 'kommune' "
        "and period_type = ? and period_start = ?",
        [kpi, period_type, start],
    ).fetchone()
    return row[0] if row else None


def month_of(text: str) -> int:
    """'nov. 2025 (ikke slut)' → 11, as the report writes months (Babel's 'MMM y')."""
    name = text.split(" ")[0].rstrip(".")
    return [
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ].index(name) + 1


def month_range(year: int, month: int) -> tuple[date, date]:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(nxt.toordinal() - 1)


# --- rettidighed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "end", "ptype", "months"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "year", list(range(1, 12))),
        ("2025Q3", date(2025, 7, 1), date(2025, 9, 30), "quarter", [7, 8, 9]),
    ],
)
def test_rettidighed_sheet_equals_the_marts_and_hides_small_groups(
    files, db, period, start, end, ptype, months
):
    rows = sheet_rows(files[period][".xlsx"], "Rettidighed")
    names = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov."]
    assert [r[0] for r in rows[::3]][: len(months)] == [
        f"{names[m - 1]} 2025" + (" (ikke slut)" if m == 11 else "") for m in months
    ]
    assert len(rows) == 3 * (len(months) + 1)  # each month × kind, then the period's total
    hidden = shown = 0
    for label, code, kind_label, dues, on_time, late, missing, pct, goal, median, rule in rows:
        kind = KIND_LABELS[kind_label]
        if label.startswith("I alt"):
            a, b, pt, ps = start, end, ptype, start
        else:
            a, b = month_range(2025, month_of(label))
            pt, ps = "month", a
            assert code == f"2025-{a.month:02d}"
        want = expected_rett(db, a, b, kind)
        kpi = {"all": "rettidighed_pct", "first": "rettidighed_first_pct"}.get(kind)
        assert goal == (target(db, kpi, pt, ps) if kpi else None), (label, kind)
        if dues is None:  # hidden: the whole group is empty, never a figure of it
            hidden += 1
            assert (on_time, late, missing, pct, median, rule) == (None,) * 6
            continue
        shown += 1
        assert not 0 < want["persons"] < MIN, (label, kind)  # no small group is shown
        got = {"dues": dues, "on_time": on_time, "late": late, "missing": missing}
        assert got == {k: want[k] for k in got}, (label, kind)
        assert (
            pct == pytest.approx(want["pct"], abs=1e-9) if want["pct"] is not None else pct is None
        )
    assert shown > len(months)  # at least every month's "all" row and a total
    # every small group is hidden
    for label, _, kind_label, dues, *_ in rows:
        if label.startswith("I alt"):
            continue
        a, b = month_range(2025, month_of(label))
        if 0 < expected_rett(db, a, b, KIND_LABELS[kind_label])["persons"] < MIN:
            assert dues is None, (label, kind_label)
    if period == "2025":
        assert hidden > 0  # the small demo has small groups of first/later conversations


def test_the_period_totals_equal_fct_kpi(files, db):
    rows = {(r[0], r[2]): r for r in sheet_rows(files["2025"][".xlsx"], "Rettidighed")}
    for kind, kpi in (
        ("Alle samtaler", "rettidighed_pct"),
        ("Første samtale", "rettidighed_first_pct"),
    ):
        value = db.execute(
            "select value from marts.fct_kpi where kpi = ? and scope_type = 'kommune' "
            "and period_type = 'year' and period_start = date '2025-01-01'",
            [kpi],
        ).fetchone()[0]
        assert rows[("I alt 2025", kind)][7] == pytest.approx(value, abs=1e-9)


def test_missing_conversations_are_counted_per_month_and_period(files, db):
    rows = sheet_rows(files["2025"][".xlsx"], "Manglende samtaler")
    assert rows[-1][0] == "I alt 2025"
    for label, _, cases, missing_first, missing_later, missing_all in rows:
        if label.startswith("I alt"):
            a, b = date(2025, 1, 1), date(2025, 12, 31)
        else:
            a, b = month_range(2025, month_of(label))
        want_all = expected_rett(db, a, b, "all")
        if missing_all is not None:
            assert (cases, missing_all) == (want_all["cases_missing"], want_all["missing"]), label
        else:
            assert cases is None
        for got, kind in ((missing_first, "first"), (missing_later, "later")):
            if got is not None:
                assert got == expected_rett(db, a, b, kind)["missing"], (label, kind)
    total = rows[-1]
    # a case counts once in the period, also when it misses conversations in several months
    missing_2025 = dues_sql(
        db, date(2025, 1, 1), date(2025, 12, 31), "all", "and status = 'missing'"
    )
    cases_2025 = db.execute(f"select count(distinct case_id) {missing_2025}").fetchone()[0]
    assert total[2] == cases_2025 > 0
    overview = {r[0]: r for r in sheet_rows(files["2025"][".xlsx"], "Overblik")}
    assert overview["Sager med mindst én manglende samtale"][2] == cases_2025


# --- placement outcomes and retention ---------------------------------------------------------


def expected_outcomes(db, column: str) -> dict:
    rows = db.execute(
        f"""select {column}, count(*), count(*) filter (where employed_after),
                count(distinct person_key),
                median(days_to_employment) filter (where employed_after),
                count(distinct person_key) filter (where employed_after)
            from marts.fct_placement_outcomes
            where window_complete and end_date between date '2025-01-01' and date '2025-12-31'
            group by all"""
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.mark.parametrize(
    ("sheet", "column", "code_list"),
    [
        ("Ordninger", "scheme", "scheme"),
        ("Ydelsesgrupper", "benefit_group", "benefit_group"),
    ],
)
def test_outcome_sheets_equal_the_marts_and_hide_small_groups(files, db, sheet, column, code_list):
    from reports.labels import label

    want = expected_outcomes(db, column)
    by_label = {label(code, code_list): v for code, v in want.items()}
    rows = sheet_rows(files["2025"][".xlsx"], sheet)
    assert {r[0] for r in rows[:-1]} == set(by_label)  # every group with a placement, no other
    for name, placements, employed, pct, median in rows[:-1]:
        n, emp, persons, med, persons_emp = by_label[name]
        if 0 < persons < MIN:
            assert (placements, employed, pct, median) == (None,) * 4, name
        if placements is None:
            assert (employed, pct, median) == (None,) * 3
            continue
        assert persons >= MIN and (placements, employed) == (n, emp), name
        assert pct == pytest.approx(100.0 * emp / n, abs=1e-9)
        assert median == (med if persons_emp >= MIN else None), name
    total = rows[-1]
    n, emp = db.execute(
        """select count(*), count(*) filter (where employed_after)
           from marts.fct_placement_outcomes
           where window_complete and year(end_date) = 2025"""
    ).fetchone()
    assert total[:4] == ("I alt", n, emp, pytest.approx(100.0 * emp / n, abs=1e-9))


def test_retention_sheet_equals_the_marts_per_cohort_quarter(files, db):
    rows = sheet_rows(files["2025"][".xlsx"], "Fastholdelse")
    want = {
        f"{y}Q{q}": (n, r, p)
        for y, q, n, r, p in db.execute(
            """select year(start_date), quarter(start_date), count(*),
                   count(*) filter (where retained_13_of_26), count(distinct person_key)
               from marts.fct_retention where window_complete group by all"""
        ).fetchall()
    }
    assert rows[0][1] == "2022Q4" and rows[-2][1] == "2025Q2"  # the last complete start: 05-18
    for _, code, engagements, retained, pct, goal in rows[:-1]:
        n, r, persons = want.get(code, (0, 0, 0))
        assert goal == target(
            db, "retention_13_26_pct", "quarter", date(int(code[:4]), 3 * int(code[-1]) - 2, 1)
        )
        if engagements is None:  # small, or hidden so that a small one cannot be worked out
            assert persons > 0 and (retained, pct) == (None, None), code
            continue
        assert not 0 < persons < MIN and (engagements, retained) == (n, r), code
    hidden_small = [c for c, (_, _, p) in want.items() if 0 < p < MIN and c <= "2025Q2"]
    assert hidden_small and all(r[2] is None for r in rows[:-1] if r[1] in hidden_small)


# --- jobindsats.dk ----------------------------------------------------------------------------


def test_jobindsats_sheet_shows_the_latest_period_of_every_series(files, db):
    rows = sheet_rows(files["2025"][".xlsx"], "Jobindsats")
    facts = db.execute(
        """select table_id, measure, dimensions, period_type, period_end, value, rank_desc,
               n_municipalities, national_value
           from marts.fct_benchmark
           where municipality_code = '615' and period_end <= date '2025-12-31'"""
    ).fetchall()
    preference = ["month", "quarter", "mytd", "qmat", "year"]  # later in the list wins a tie
    latest: dict[tuple, tuple] = {}
    for t, m, dims, ptype, end, value, rank, n, national in facts:
        key = (t, m, ", ".join(f"{k}: {v}" for k, v in json.loads(dims).items()) or "I alt")
        order = (end, preference.index(ptype))
        if key not in latest or order > latest[key][0]:
            latest[key] = (order, value, rank, n, national)
    assert [(r[0], r[1], r[2]) for r in rows] == sorted(latest)
    for t, m, dims, _, _, value, national, diff, rank, n, unit, direction in rows:
        _, v, rk, nn, nat = latest[(t, m, dims)]
        assert (value, rank, n, national) == (v, rk, nn, nat), (t, m, dims)
        if m.lower().startswith("antal"):
            assert diff is None  # a count is not compared with the national count
        elif v is not None and nat is not None:
            assert diff == pytest.approx(v - nat, abs=1e-9)
        assert unit and direction
    directions = {r[11] for r in rows}
    assert {"Højere er bedre", "Lavere er bedre"} <= directions


# --- the files as files -----------------------------------------------------------------------


def test_print_setup_properties_and_month_texts(files, demo_warehouse):
    book = openpyxl.load_workbook(files["2025"][".xlsx"])
    assert book.sheetnames == [
        "Overblik",
        "Rettidighed",
        "Udvikling",
        "Manglende samtaler",
        "Ordninger",
        "Ydelsesgrupper",
        "Fastholdelse",
        "Jobindsats",
        "Regelsæt",
    ]
    assert book.properties.title == "Jobcenterrapport 2025"
    assert book.properties.keywords == "syntetiske data"
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props["as_of"] == demo_warehouse.as_of.isoformat()
    for ws in book.worksheets:
        columns = sum(1 for c in ws[3] if c.value is not None)
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.page_setup.orientation == ("landscape" if columns > 7 else "portrait"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True  # one page wide (1 = default)
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows == "$3:$3", ws.title  # the header on every printed page
        assert ws["A1"].value and "Syntetiske data" in [c.value for c in ws[1]]
    trend = sheet_rows(files["2025"][".xlsx"], "Udvikling")
    assert trend[0][:2] == ("nov. 2022", "2022-11") and trend[-1][:2] == (
        "nov. 2025 (ikke slut)",
        "2025-11",
    )
    assert len(trend) == 37
    versions = sheet_rows(files["2025"][".xlsx"], "Regelsæt")
    assert [v[0] for v in versions] == ["sdp_2014", "sdp_2023"]
    assert "hver 28. dag" in versions[0][3] and "3 samtaler senest 182 dage" in versions[1][3]


def _hidden_in_html(html: str, caption: str) -> dict[str, bool]:
    """Row label → whether its first number cell shows '–', in the table with this caption."""
    start = html.index(caption)
    table = html[start : html.index("</table>", start)]
    return {
        m.group(1): m.group(2) == "–"
        for m in re.finditer(r"<tr><td>([^<]+)</td><td class=\"num[^\"]*\">([^<]*)</td>", table)
    }


def test_a_quarter_whose_retention_weeks_are_not_over_says_so(files):
    quarter = files["2025Q3"][".html"].read_text(encoding="utf-8")
    assert "Ingen ansættelse, der begyndte i 3. kvt. 2025, har endnu haft alle 26 uger" in quarter
    year = files["2025"][".html"].read_text(encoding="utf-8")
    assert "har endnu haft alle" not in year  # 2025 began before the last complete start


def test_html_says_what_the_xlsx_says(files):
    html = files["2025"][".html"].read_text(encoding="utf-8")
    xlsx = files["2025"][".xlsx"]
    for sheet, caption in (("Ordninger", "pr. ordning"), ("Ydelsesgrupper", "pr. ydelsesgruppe")):
        shown = _hidden_in_html(html, f"Afsluttede forløb i 2025 {caption}")
        for row in sheet_rows(xlsx, sheet)[:-1]:
            assert shown[row[0]] == (row[1] is None), (sheet, row)
    for sentence in (
        "Rettidighed er andelen af opfølgningssamtaler",
        "En samtale mangler, når",
        "Andel i beskæftigelse er andelen",
        "Fastholdelse er andelen",
        "Placering 1 er den kommune",
    ):
        assert sentence in html
    assert "Syntetiske data" in html and "Opgjort pr." in html and "Data indlæst" in html
    assert "Datakvalitet (Sygedagpengesager, Sygedagpengehændelser" in html
    assert "Nogle tal er skjult" in html and "jobindsats.dk har skjult" in html
    chart = re.search(
        r'<svg class="chart"[^>]*aria-label="Rettidighed pr. måned".*?</svg>', html, flags=re.S
    ).group(0)
    # both rule versions of the window on the chart, from the rules as data; the partial month
    assert "sdp_2014" in chart and "sdp_2023 fra 22.03.2023" in chart
    assert "Måneden er ikke slut" in chart and "Mål: Alle samtaler" in chart
    assert "nov. 2025 (ikke slut)" in html


# --- the CLI ----------------------------------------------------------------------------------


def _cli(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    """`rummelig …` in this process, as the console script runs it: exit code, stdout and
    stderr lines."""
    from orchestration.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out.strip().splitlines(), out.err.strip().splitlines()


@pytest.mark.parametrize("period", ["2025", "2025Q3"])
def test_cli_renders_a_year_and_a_quarter(demo_warehouse, tmp_path, capsys, period):
    db = str(demo_warehouse.database)
    code, out, err = _cli(
        capsys, "report", "jobcenter", "--database", db, "--period", period, "--out", str(tmp_path)
    )
    assert (code, err) == (0, [])
    names = [f"jobcenter_{period}.html", f"jobcenter_{period}.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert out == [f"Skrev {tmp_path / name}" for name in names]


def test_cli_refuses_an_unknown_option_in_one_danish_line(demo_warehouse, tmp_path, capsys):
    code, _, err = _cli(capsys, "report", "jobcenter", "--database", str(demo_warehouse.database),
                        "--period", "2025", "--out", str(tmp_path), "--unit", "U1")  # fmt: skip
    assert (code, err) == (2, ["Fejl: Rapporten jobcenter kender ikke tilvalget --unit."])
    assert not list(tmp_path.iterdir())
