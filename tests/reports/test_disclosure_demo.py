"""Disclosure audit of every demo report, HTML and XLSX (docs/domain.md §7).

For each report the test reads what the files show, rebuilds the relations a reader can use
from the warehouse itself (the hierarchy from marts.dim_org_unit, each unit's own staff from the
engagements in intermediate.int_engagement_period_hours), and checks with an independent audit
(tests/support/disclosure_audit.py) that no hidden cell, and no unit's small own staff, can be
worked out exactly. A negative control shows the audit catches the old report's leaks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.registry import run_report
from tests.support.disclosure_audit import audit

pytestmark = pytest.mark.xdist_group("disclosure_demo")

GROUPS = ("ordinaere", "alle", "inklusion")
MIN_PERSONS = 5


@pytest.fixture(scope="module")
def reports(demo_warehouse, tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("disclosure_demo")
    files = {}
    for name in ("sygefravaer", "inklusion", "kvote", "benchmark", "hmu", "jobcenter"):
        paths = run_report(name, demo_warehouse.database, period="2025", out_dir=out)
        files[name] = {p.suffix: p for p in paths}
    return files


def sql(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(query).fetchall()


# --- sygefravaer ----------------------------------------------------------------------------


class _UnitRows(HTMLParser):
    """(unit id → {group: persons cell text}) of the sygefravaer table."""

    def __init__(self) -> None:
        super().__init__()
        self.units: dict[str, dict[str, str]] = {}
        self._unit: str | None = None
        self._group: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-unit" in a:
            self._unit = a["data-unit"]
            self.units[self._unit] = {}
        elif tag == "td" and self._unit and "data-group" in a:
            self._group, self._text = a["data-group"], []

    def handle_endtag(self, tag):
        if tag == "td" and self._group:
            # the last cell of a group is its persons cell: it ends up as the value
            self.units[self._unit][self._group] = "".join(self._text).strip()
            self._group = None

    def handle_data(self, data):
        if self._group:
            self._text.append(data)


def _sickness_structure(db: Path, year: int):
    """Parents, and each parent's own staff per group (None = unknown, 0 = none), from the
    warehouse: persons at the unit itself, counted from the engagements."""
    parents = dict(sql(db, "select org_unit_id, parent_id from marts.dim_org_unit"))
    own = {}
    for unit, group, persons in sql(
        db,
        f"""select org_unit_id, staff_group, count(distinct person_id)
            from intermediate.int_engagement_period_hours
            where period_type = 'year' and period_start = date '{year}-01-01'
            group by all
            union all
            select org_unit_id, 'alle', count(distinct person_id)
            from intermediate.int_engagement_period_hours
            where period_type = 'year' and period_start = date '{year}-01-01'
            group by all""",
    ):
        own[(unit, group)] = persons
    return parents, own


def _sickness_audit(shown_units: dict[str, dict[str, bool]], parents: dict, own: dict):
    """Audit input: (known cells, relations, protected cells) for the units on display."""
    known, protected, relations = set(), set(), []
    for unit, groups in shown_units.items():
        for g, is_shown in groups.items():
            (known if is_shown else protected).add((unit, g))
        relations.append(((unit, "alle"), [(unit, "ordinaere"), (unit, "inklusion")]))
    children: dict[str, list[str]] = {}
    for unit in shown_units:
        if parents.get(unit) in shown_units:
            children.setdefault(parents[unit], []).append(unit)
    for unit, kids in children.items():
        for g in GROUPS:
            o = own.get((unit, g), 0)
            if o == 0:
                known.add(("own", unit, g))
            elif o < MIN_PERSONS:
                protected.add(("own", unit, g))
            relations.append(((unit, g), [("own", unit, g), *((k, g) for k in kids)]))
        relations.append(
            (("own", unit, "alle"), [("own", unit, "ordinaere"), ("own", unit, "inklusion")])
        )
    return known, relations, protected


def _xlsx_units(path: Path) -> dict[str, dict[str, bool]]:
    out = {}
    for row in openpyxl.load_workbook(path)["Enheder"].iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        # persons column of each group; an empty group (0 persons) is a known zero
        out[row[-1]] = {g: row[4 + 3 * i] is not None for i, g in enumerate(GROUPS)}
    return out


def test_sygefravaer_html_and_xlsx_give_nothing_hidden_away(demo_warehouse, reports):
    db = demo_warehouse.database
    parents, own = _sickness_structure(db, 2025)
    parser = _UnitRows()
    parser.feed(reports["sygefravaer"][".html"].read_text(encoding="utf-8"))
    html_units = {u: {g: t != "–" for g, t in gs.items()} for u, gs in parser.units.items()}
    xlsx_units = _xlsx_units(reports["sygefravaer"][".xlsx"])
    assert html_units == xlsx_units  # the two files hide the same cells
    known, relations, protected = _sickness_audit(xlsx_units, parents, own)
    hidden = [c for c in protected if c[0] != "own"]
    assert len(hidden) > 20 and len(protected) > len(hidden)  # own staff is protected too
    assert audit(known, relations, protected) == set()


def test_negative_control_the_old_suppression_is_caught(demo_warehouse, reports):
    """Show every cell the mart does not suppress (the old report): the audit must object."""
    db = demo_warehouse.database
    parents, own = _sickness_structure(db, 2025)
    suppressed = {
        (u, g): s
        for u, g, s in sql(
            db,
            """select org_unit_id, staff_group, suppressed and persons > 0 from marts.fct_sickness
               where period_type = 'year' and period_start = date '2025-01-01'""",
        )
    }
    old = {
        u: {g: not suppressed.get((u, g), False) for g in GROUPS}
        for u in _xlsx_units(reports["sygefravaer"][".xlsx"])
    }
    known, relations, protected = _sickness_audit(old, parents, own)
    leaks = audit(known, relations, protected)
    assert len(leaks) >= 10, leaks


def test_sygefravaer_monthly_trend_gives_nothing_away(reports):
    book = openpyxl.load_workbook(reports["sygefravaer"][".xlsx"])
    for row in book["Udvikling"].iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        shown = {g for g, v in zip(GROUPS, row[2:5], strict=True) if v is not None}
        hidden = set(GROUPS) - shown
        # alle = ordinære + inklusion: exactly one hidden group would follow from the other two
        assert len(hidden) != 1 or row[2:5] == (None, None, None), row


# --- inklusion ------------------------------------------------------------------------------


def _rows(ws) -> list[tuple]:
    out = []
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        out.append(row)
    return out


def test_inklusion_tables_give_nothing_hidden_away(reports):
    book = openpyxl.load_workbook(reports["inklusion"][".xlsx"])
    known, protected, relations = set(), set(), []

    def cell(key, value):
        (protected if value is None else known).add(key)

    trend = _rows(book["Udvikling"])
    schemes = [c.value for c in book["Udvikling"][3]][2:-1]
    for row in trend:  # per month: total = Σ schemes
        month = row[1]
        for s, v in zip(schemes, row[2:-1], strict=True):
            cell(("active", month, s), v)
        cell(("active", month, "total"), row[-1])
        relations.append((("active", month, "total"), [("active", month, s) for s in schemes]))
    last = trend[-1][1]
    for sheet in ("Arbejdspladstyper", "Områder", "Ordninger"):
        rows = _rows(book[sheet])
        for label, persons, *_ in rows[:-1]:
            key = ("active", last, label) if sheet == "Ordninger" else (sheet, label)
            cell(key, persons)
        if sheet != "Ordninger":
            relations.append((("active", last, "total"), [(sheet, r[0]) for r in rows[:-1]]))
    scheme_rows = _rows(book["Ordninger"])
    month_rows = _rows(book["Starter og ophør"])
    for i, flow in ((3, "starts"), (4, "ends")):
        for r in scheme_rows[:-1]:
            cell((flow, r[0]), r[i])
        cell((flow, "total"), scheme_rows[-1][i])
        assert month_rows[-1][i - 1] == scheme_rows[-1][i]  # one total in both tables
        for r in month_rows[:-1]:
            cell((flow, r[1]), r[i - 1])
        relations.append(((flow, "total"), [(flow, r[0]) for r in scheme_rows[:-1]]))
        relations.append(((flow, "total"), [(flow, r[1]) for r in month_rows[:-1]]))
    assert protected  # the demo has small groups
    assert audit(known, relations, protected) == set()


def test_inklusion_html_hides_what_the_xlsx_hides(reports):
    html = reports["inklusion"][".html"].read_text(encoding="utf-8")
    book = openpyxl.load_workbook(reports["inklusion"][".xlsx"])
    for sheet, caption in (
        ("Ordninger", "Aktive forløb pr. ordning"),
        ("Arbejdspladstyper", "Aktive forløb pr. arbejdspladstype"),
        ("Områder", "Aktive forløb pr. område"),
    ):
        table = html[html.index(caption) : html.index("</table>", html.index(caption))]
        for row in _rows(book[sheet]):
            label = re.escape(str(row[0]).replace("&", "&amp;"))
            m = re.search(rf"<td>{label}</td><td class=\"num( missing)?\">([^<]*)</td>", table)
            assert m, (sheet, row[0])
            assert (m.group(2) == "–") == (row[1] is None), (sheet, row)


# --- kvote and benchmark --------------------------------------------------------------------


def test_reports_without_own_suppression_say_why(reports):
    kvote = reports["kvote"][".html"].read_text(encoding="utf-8")
    assert "Ingen tal er skjult" in kvote
    benchmark = reports["benchmark"][".html"].read_text(encoding="utf-8")
    assert "jobindsats.dk har skjult" in benchmark
    for name in ("sygefravaer", "inklusion", "hmu", "jobcenter"):
        assert "Nogle tal er skjult" in reports[name][".html"].read_text(encoding="utf-8")


# --- hmu ------------------------------------------------------------------------------------


def _hmu_sickness_units(path: Path) -> dict[str, dict[str, bool]]:
    """unit id → {group: persons shown} from the hmu XLSX sheet Sygefravær."""
    out = {}
    for row in _rows(openpyxl.load_workbook(path)["Sygefravær"]):
        out[row[-1]] = {g: row[3 + 2 * i] is not None for i, g in enumerate(GROUPS)}
    return out


def test_hmu_sickness_hides_what_sygefravaer_hides_and_gives_nothing_away(demo_warehouse, reports):
    """The municipality and its areas: the same cells hidden as in the sygefravaer report (so
    the two reports cannot be set against each other), and nothing derivable within the hmu
    report through alle = ordinære + inklusion and kommune = own staff + Σ areas."""
    db = demo_warehouse.database
    hmu = _hmu_sickness_units(reports["hmu"][".xlsx"])
    parser = _UnitRows()
    parser.feed(reports["hmu"][".html"].read_text(encoding="utf-8"))
    html = {u: {g: t != "–" for g, t in gs.items()} for u, gs in parser.units.items()}
    assert html == hmu  # HTML and XLSX hide the same cells
    sygefravaer = _xlsx_units(reports["sygefravaer"][".xlsx"])
    levels = dict(sql(db, "select org_unit_id, level from marts.dim_org_unit"))
    assert set(hmu) == {u for u in sygefravaer if levels[u] <= 1}
    assert hmu == {u: sygefravaer[u] for u in hmu}
    parents, own = _sickness_structure(db, 2025)
    known, relations, protected = _sickness_audit(hmu, parents, own)
    assert audit(known, relations, protected) == set()


def test_hmu_count_tables_give_nothing_hidden_away(reports):
    """Inclusion by scheme / workplace type / area share one total; union areas and the two
    outcome tables each have total = Σ rows (cases and successes alike)."""
    book = openpyxl.load_workbook(reports["hmu"][".xlsx"])
    known, protected, relations = set(), set(), []

    def cell(key, value):
        (protected if value is None else known).add(key)

    for sheet in ("Ordninger", "Arbejdspladstyper", "Områder"):
        rows = _rows(book[sheet])
        assert rows[-1][0] == "I alt"
        cell(("active", "total"), rows[-1][1])
        for label, persons, _fte in rows[:-1]:
            cell((sheet, label), persons)
        relations.append((("active", "total"), [(sheet, r[0]) for r in rows[:-1]]))
    for sheet, column in (("Faglig organisation", 1), ("Fastholdelse", 1), ("Fastholdelse", 2),
                          ("Job efter forløb", 1), ("Job efter forløb", 2)):  # fmt: skip
        rows = _rows(book[sheet])
        if not rows:
            continue
        total, parts = rows[-1], rows[:-1]
        cell((sheet, column, "total"), total[column])
        for r in parts:
            cell((sheet, column, r[0]), r[column])
        relations.append(((sheet, column, "total"), [(sheet, column, r[0]) for r in parts]))
    assert protected  # the demo has small groups
    assert audit(known, relations, protected) == set()


def test_hmu_inclusion_tables_hide_what_the_inklusion_report_hides(reports):
    hmu = openpyxl.load_workbook(reports["hmu"][".xlsx"])
    inklusion = openpyxl.load_workbook(reports["inklusion"][".xlsx"])
    for sheet in ("Ordninger", "Arbejdspladstyper", "Områder"):
        assert [r[:3] for r in _rows(hmu[sheet])] == [r[:3] for r in _rows(inklusion[sheet])]


def test_hmu_targets_hide_what_the_sickness_table_hides(demo_warehouse, reports):
    """A sickness KPI of the municipality is shown exactly when its group is shown in the
    sickness table; a KPI fct_kpi suppresses is hidden and not judged."""
    book = openpyxl.load_workbook(reports["hmu"][".xlsx"])
    root = next(r for r in _rows(book["Sygefravær"]))
    shown = {g: root[3 + 2 * i] is not None for i, g in enumerate(GROUPS)}
    labels = dict(sql(demo_warehouse.database, "select kpi, label_da from raw.kpi_definitions"))
    kommune = {r[0]: r for r in _rows(book["Måltal"]) if r[1] == root[0]}
    for g in GROUPS:
        row = kommune[labels[f"sickness_pct_{g}"]]
        assert (row[3] is not None) == shown[g], g
    suppressed = sql(
        demo_warehouse.database,
        """select kpi from marts.fct_kpi where scope_type = 'kommune' and period_type = 'year'
           and period_start = date '2025-01-01' and suppressed""",
    )
    for (kpi,) in suppressed:
        assert kommune[labels[kpi]][3] is None and kommune[labels[kpi]][6] == "Skjult", kpi


# --- jobcenter ------------------------------------------------------------------------------
# Groups of persons: the counted dues of a month (or the year) and kind, the ended placements of
# a scheme / benefit group, the complete retention windows of a cohort quarter. A group is shown
# whole or hidden whole; the sums a reader can use are rebuilt here from what the files show.

JOBCENTER_KINDS = {"Alle samtaler": "all", "Første samtale": "first", "Senere samtaler": "later"}


def _jobcenter_cells(path: Path) -> tuple[dict, list]:
    """(cell → shown?, relations) of the jobcenter XLSX."""
    book = openpyxl.load_workbook(path)
    cells: dict[tuple, bool] = {}
    relations: list = []

    def cell(key, shown: bool) -> None:
        assert cells.setdefault(key, shown) == shown, key  # one cell, one verdict in every sheet

    kinds = ("all", "first", "later")
    trend = _rows(book["Udvikling"])
    for row in trend:  # every month of the window: dues and rettidighed per kind
        for i, kind in enumerate(kinds):
            dues, pct = row[2 + 2 * i], row[3 + 2 * i]
            assert (dues is None) == (pct is None) or dues == 0, row
            cell(("rett", row[1], kind), dues is not None)
        relations.append(
            (("rett", row[1], "all"), [("rett", row[1], "first"), ("rett", row[1], "later")])
        )
    months = []
    for row in _rows(book["Rettidighed"]):
        code, kind = row[1], JOBCENTER_KINDS[row[2]]
        cell(("rett", code, kind), row[3] is not None)
        if not row[0].startswith("I alt") and code not in months:
            months.append(code)
    for kind in kinds:
        relations.append((("rett", "2025", kind), [("rett", m, kind) for m in months]))
    relations.append(
        (("rett", "2025", "all"), [("rett", "2025", "first"), ("rett", "2025", "later")])
    )
    for row in _rows(book["Manglende samtaler"]):  # the same groups: hidden with them
        code = row[1]
        for kind, value in zip(("first", "later", "all"), row[3:6], strict=True):
            assert (value is None) == (not cells[("rett", code, kind)]), (code, kind)
    for sheet, breakdown in (("Ordninger", "scheme"), ("Ydelsesgrupper", "benefit_group")):
        rows = _rows(book[sheet])
        for row in rows[:-1]:
            cell(("out", breakdown, row[0]), row[1] is not None)
        cell(("out", "total"), rows[-1][1] is not None)
        relations.append((("out", "total"), [("out", breakdown, r[0]) for r in rows[:-1]]))
    quarters = _rows(book["Fastholdelse"])
    for row in quarters[:-1]:
        cell(("ret", row[1]), row[2] is not None)
    cell(("ret", "2025"), quarters[-1][2] is not None)
    relations.append((("ret", "2025"), [("ret", r[1]) for r in quarters[:-1] if r[1] >= "2025"]))
    return cells, relations


def _jobcenter_persons(db: Path) -> dict[tuple, int]:
    """Distinct persons behind each group, straight from the marts."""
    persons: dict[tuple, int] = {}
    for month, kind, n in sql(
        db,
        """select strftime(due_date, '%Y-%m'), k.kind, count(distinct person_key)
           from marts.fct_sdp_followup f
           join (values ('all'), ('first'), ('later')) as k (kind)
             on k.kind in ('all', f.due_kind)
           where status in ('on_time', 'late', 'missing')
             and due_date >= (select window_start from marts.meta_build)
           group by all""",
    ):
        persons[("rett", month, kind)] = n
    for column, breakdown in (("scheme", "scheme"), ("benefit_group", "benefit_group")):
        from reports.labels import label

        for code, n in sql(
            db,
            f"""select {column}, count(distinct person_key) from marts.fct_placement_outcomes
                where window_complete and year(end_date) = 2025 group by all""",
        ):
            persons[("out", breakdown, label(code, breakdown))] = n
    for quarter, n in sql(
        db,
        """select year(start_date) || 'Q' || quarter(start_date), count(distinct person_key)
           from marts.fct_retention where window_complete group by all""",
    ):
        persons[("ret", quarter)] = n
    return persons


def test_jobcenter_hides_every_small_group_and_nothing_hidden_can_be_worked_out(
    demo_warehouse, reports
):
    cells, relations = _jobcenter_cells(reports["jobcenter"][".xlsx"])
    persons = _jobcenter_persons(demo_warehouse.database)
    small = {k for k, n in persons.items() if 0 < n < MIN_PERSONS and k in cells}
    assert small and not any(cells[k] for k in small)  # primary: no group of 1–4 persons shown
    known = {k for k, shown in cells.items() if shown}
    hidden = set(cells) - known
    assert hidden > small  # some groups are hidden only to protect a small one
    assert audit(known, relations, hidden) == set()
    # Negative control: hiding only the small groups would give some of them away.
    naive = set(cells) - small
    assert audit(naive, relations, small)


def test_jobcenter_html_hides_what_the_xlsx_hides(reports):
    html = reports["jobcenter"][".html"].read_text(encoding="utf-8")
    start = html.index("Rettidighed pr. måned i 2025")
    table = html[start : html.index("</table>", start)]
    book = openpyxl.load_workbook(reports["jobcenter"][".xlsx"])
    xlsx = {(r[0], JOBCENTER_KINDS[r[2]]): r[3] for r in _rows(book["Rettidighed"])}
    checked = 0
    for row in re.finditer(r"<tr[^>]*>\s*<td>([^<]+)</td>(.*?)</tr>", table, flags=re.S):
        numbers = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row.group(2))
        dues = {"all": numbers[0], "first": numbers[3], "later": numbers[6]}
        for kind, text in dues.items():
            assert (text == "–") == (xlsx[(row.group(1), kind)] is None), (row.group(1), kind)
            checked += 1
    assert checked == len(xlsx)  # every month and the total, each kind


def test_jobcenter_and_hmu_hide_the_same_employment_and_retention_figures(reports):
    """Both reports show employment after placements per scheme with its total for 2025, and the
    year's retention: set side by side they must hide the same groups, or one report's figure
    would give the other's hidden one away (total − Σ shown schemes)."""
    hmu = openpyxl.load_workbook(reports["hmu"][".xlsx"])
    jobcenter = openpyxl.load_workbook(reports["jobcenter"][".xlsx"])
    hmu_rows = {r[0]: r[1] for r in _rows(hmu["Job efter forløb"])}
    ours = {r[0]: r[1] for r in _rows(jobcenter["Ordninger"])}
    assert set(hmu_rows) == set(ours) and len(ours) > 2
    assert {k: v is None for k, v in hmu_rows.items()} == {k: v is None for k, v in ours.items()}
    assert {k: v for k, v in hmu_rows.items() if v is not None} == {
        k: v for k, v in ours.items() if v is not None
    }  # the same figures, too
    hmu_total = _rows(hmu["Fastholdelse"])[-1]
    our_total = _rows(jobcenter["Fastholdelse"])[-1]
    assert (hmu_total[1], hmu_total[2]) == (our_total[2], our_total[3])
