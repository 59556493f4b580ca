"""The sygefravaer report on a hand-built warehouse: the marts and reporting tables it reads,
written directly in DuckDB.

Hand data, year 2024 (as_of 2024-12-31, min 5 persons). K (the municipality, no staff of its
own) with A, B and C below it:
  K alle 6.25 % / 14.0 days per FTE / 23 persons; ordinære 5.5 / 12.3 / 16; inklusion 9.8 / 21.7 / 7
  A alle 7.1 / 15.9 / 9; ordinære 4.2 / 9.4 / 7; inklusion 2 persons (hidden 42.4242 / 93.75)
  B alle 3.3 / 7.3 / 9; ordinære 2.2 / 4.9 / 5; inklusion 4 persons (hidden 17.3579 / 38.4321)
  C alle 8.8 / 19.5 / 5; ordinære 3 persons (hidden 61.2345 / 77.7777); inklusion 1 person
    (hidden 33.3333 / 44.4444)
By hand, the complementary cells (docs/decisions/reports.md):
  - A: inklusion 2 is hidden, so alle − ordinære would give it back: A's alle is hidden (the
    reader keeps ordinære). Likewise B's alle (B inklusion 4).
  - C: ordinære 3 and inklusion 1 are hidden; C's alle (5) is shown: one figure, two unknowns.
  - K ordinære 16 = A 7 + B 5 + C (hidden): one of A/B must go; B has fewer persons → B's
    ordinære is hidden, not K's (the top unit is kept).
  - K inklusion 7 = A + B + C, all hidden; K alle 23 = A (hidden) + B (hidden) + C 5: safe.
Gap alle − ordinære: only K (6.25 − 5.5 = 0.75 ≥ 0.5: highlighted).
Months (trend): K alle January 6.0, February 6.5; K inklusion January 3 persons (hidden 55.5555)
and no ordinære row in January, so January's alle would equal the hidden inklusion: hidden too.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.errors import ReportError
from reports.registry import run_report
from tests.support.disclosure_audit import audit

HIDDEN = [42.4242, 93.75, 17.3579, 38.4321, 61.2345, 77.7777, 33.3333, 44.4444, 55.5555, 6.0]
HIDDEN_TEXT = ["42,4", "93,8", "17,4", "38,4", "61,2", "77,8", "33,3", "44,4", "55,6"]

UNITS = [  # org_unit_id, name, parent_id, level, path, children
    ("K", "Kommunen", None, 0, "K", 3),
    ("A", "Plejecenter A", "K", 1, "K/A", 0),
    ("B", "Skole B", "K", 1, "K/B", 0),
    ("C", "Vej og Park C", "K", 1, "K/C", 0),
]
Y = ("year", "2024-01-01", "2024-12-31")
# unit, period type/start/end, group, pct, days/fte, persons, own persons
SICKNESS = [
    ("K", *Y, "alle", 6.25, 14.0, 23, 0),
    ("K", *Y, "ordinaere", 5.5, 12.3, 16, 0),
    ("K", *Y, "inklusion", 9.8, 21.7, 7, 0),
    ("A", *Y, "alle", 7.1, 15.9, 9, 9),
    ("A", *Y, "ordinaere", 4.2, 9.4, 7, 7),
    ("A", *Y, "inklusion", 42.4242, 93.75, 2, 2),
    ("B", *Y, "alle", 3.3, 7.3, 9, 9),
    ("B", *Y, "ordinaere", 2.2, 4.9, 5, 5),
    ("B", *Y, "inklusion", 17.3579, 38.4321, 4, 4),
    ("C", *Y, "alle", 8.8, 19.5, 5, 5),
    ("C", *Y, "ordinaere", 61.2345, 77.7777, 3, 3),
    ("C", *Y, "inklusion", 33.3333, 44.4444, 1, 1),
    ("K", "month", "2024-01-01", "2024-01-31", "alle", 6.0, 1.3, 12, 0),
    ("K", "month", "2024-02-01", "2024-02-29", "alle", 6.5, 1.4, 12, 0),
    ("K", "month", "2024-01-01", "2024-01-31", "inklusion", 55.5555, 11.1, 3, 0),
]


def build_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute("create schema reporting")
        conn.execute(
            "create table marts.dim_org_unit (org_unit_id varchar, name varchar,"
            " parent_id varchar, level integer, path varchar)"
        )
        conn.executemany(
            "insert into marts.dim_org_unit values (?,?,?,?,?)", [u[:5] for u in UNITS]
        )
        conn.execute(
            """create table marts.fct_sickness (org_unit_id varchar, staff_group varchar,
            contracted_hours double)"""
        )
        conn.execute("insert into marts.fct_sickness values ('K', 'alle', 1000.0)")
        conn.execute(
            """create table reporting.rpt_sickness_units (org_unit_id varchar, name varchar,
            parent_id varchar, level integer, path varchar, children integer,
            period_type varchar, period_start date, period_end date, staff_group varchar,
            absence_pct double, absence_days_per_fte double, persons integer,
            suppressed boolean, own_persons integer, own_contracted_hours double)"""
        )
        units = {u[0]: u for u in UNITS}
        conn.executemany(
            "insert into reporting.rpt_sickness_units values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(*units[s[0]][:6], *s[1:8], s[7] < 5, s[8], 100.0 * s[8]) for s in SICKNESS],
        )
        conn.execute(
            """create table marts.meta_build as select date '2024-12-31' as as_of,
            date '2024-01-01' as window_start, date '2024-12-31' as window_end,
            timestamp '2025-01-02 06:30:00' as built_at, '615' as municipality_code,
            'Horsens' as municipality_name, 5 as small_cell_min_persons"""
        )
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("sygefravaer")
    database = build_warehouse(tmp / "w.duckdb")
    paths = run_report("sygefravaer", database, period="2024", out_dir=tmp / "out")
    return {p.suffix: p for p in paths}


def data_rows(ws) -> list[list]:
    """Rows below the header (title row 1, blank row 2, header row 3), up to the first blank."""
    out = []
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        out.append(list(row))
    return out


def test_xlsx_has_one_hierarchy_sheet_a_trend_and_the_method(report):
    wb = openpyxl.load_workbook(report[".xlsx"])
    assert wb.sheetnames == ["Enheder", "Udvikling", "Metode"]
    ws = wb["Enheder"]
    assert ws.freeze_panes == "A4"
    assert ws["C4"].number_format == '0.0" %"'
    # outline: the units under K are grouped one level below it (foldable in Excel)
    assert [ws.row_dimensions[r].outline_level for r in range(4, 8)] == [0, 1, 1, 1]
    method = " ".join(str(c.value) for c in wb["Metode"]["A"] if c.value)
    assert "7,4 timer" in method and "færre end 5 personer" in method
    assert wb["Metode"].auto_filter.ref is None  # prose: no filter
    assert ws.auto_filter.ref == "A3:M7"


def test_xlsx_figures_equal_the_mart_and_hidden_cells_are_empty(report):
    wb = openpyxl.load_workbook(report[".xlsx"])
    e = None  # hidden: an empty cell
    assert data_rows(wb["Enheder"]) == [
        ["Kommunen", pytest.approx(0.75), 5.5, 12.3, 16, 6.25, 14.0, 23, 9.8, 21.7, 7, 0, "K"],
        ["Plejecenter A", e, 4.2, 9.4, 7, e, e, e, e, e, e, 1, "A"],
        ["Skole B", e, e, e, e, e, e, e, e, e, e, 1, "B"],
        ["Vej og Park C", e, e, e, e, 8.8, 19.5, 5, e, e, e, 1, "C"],
    ]
    trend = data_rows(wb["Udvikling"])
    assert [r[:3] for r in trend] == [["jan. 2024", "2024-01", e], ["feb. 2024", "2024-02", e]]
    assert [r[3] for r in trend] == [e, 6.5]  # alle (January: it would be inklusion's figure)
    assert [r[4] for r in trend] == [e, e]  # inklusion: hidden / no row


def test_nothing_hidden_can_be_worked_out_from_the_workbook(report):
    """Audit of what the XLSX shows: alle = ordinære + inklusion per unit, K = A + B + C per
    group (K has no staff of its own)."""
    wb = openpyxl.load_workbook(report[".xlsx"])
    shown, hidden = set(), set()
    for row in data_rows(wb["Enheder"]):
        for i, g in enumerate(("ordinaere", "alle", "inklusion")):
            (hidden if row[4 + 3 * i] is None else shown).add((row[-1], g))
    relations = [((u, "alle"), [(u, "ordinaere"), (u, "inklusion")]) for u in "KABC"]
    relations += [
        (("K", g), [("A", g), ("B", g), ("C", g)]) for g in ("ordinaere", "alle", "inklusion")
    ]
    assert len(hidden) == 7  # 5 primary + A's, B's alle and B's ordinære
    assert audit(shown, relations, hidden) == set()
    # negative control: the old report showed B's and A's figures that gave hidden cells away
    old_shown = shown | {("A", "alle"), ("B", "alle"), ("B", "ordinaere")}
    assert audit(old_shown, relations, hidden - old_shown) == {
        ("A", "inklusion"),
        ("B", "inklusion"),
        ("C", "ordinaere"),  # K − A − B
        ("C", "inklusion"),  # then C alle − C ordinære
    }


def test_no_hidden_figure_appears_anywhere(report):
    wb = openpyxl.load_workbook(report[".xlsx"])
    numbers = [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, int | float)
    ]
    for hidden in HIDDEN:
        assert not any(abs(v - hidden) < 0.01 for v in numbers), hidden
    html = report[".html"].read_text(encoding="utf-8")
    for text in HIDDEN_TEXT:
        assert text not in html, text


def test_html_hierarchy_gap_first_and_charts(report):
    html = report[".html"].read_text(encoding="utf-8")
    assert html.index(">Kommunen<") < html.index(">Plejecenter A<") < html.index(">Skole B<")
    assert 'data-unit="A" data-parent="K" data-level="1"' in html
    assert html.count('class="num gap-high"') == 1  # K only
    assert '<td class="num gap-high">+0,8</td>' in html
    # the gap column comes right after the unit name
    header = html[html.index("<thead>") : html.index("</thead>")]
    assert header.index("Forskel") < header.index("Ordinære") < header.index("Inklusion")
    assert html.count("<svg") == 3  # one trend chart per staff group
    assert "Nogle tal er skjult" in html
    assert 'src="http' not in html and 'href="http' not in html  # offline


def test_unit_option_takes_an_id_or_a_name(tmp_path):
    database = build_warehouse(tmp_path / "w.duckdb")
    for unit in ("A", "plejecenter a", "Plejec"):
        paths = run_report("sygefravaer", database, period="2024", out_dir=tmp_path, unit=unit)
        wb = openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))
        assert [r[-1] for r in data_rows(wb["Enheder"])] == ["A"], unit
    with pytest.raises(ReportError, match="findes ikke"):
        run_report("sygefravaer", database, period="2024", out_dir=tmp_path, unit="X")
    with pytest.raises(ReportError, match=r"Mente du: Skole B \(B\)"):
        run_report("sygefravaer", database, period="2024", out_dir=tmp_path, unit="Skole C")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--period", "2024", "--unit", "X"], "Fejl: Enheden 'X' findes ikke i organisationen."),
        (["--period", "2024", "--unit"], "Fejl: Tilvalget --unit kræver en enhed"),
        (["--period", "2031"], "Fejl: Perioden 2031 ligger uden for datavinduet"),
        (["--period", "24"], "Fejl: Ugyldig periode '24'"),
        (["--period", "2024-13"], "Fejl: Ugyldig periode '2024-13': måneden skal være 01–12."),
    ],
)
def test_cli_unknown_unit_or_period_is_one_danish_line(tmp_path, capsys, extra, message):
    from orchestration.cli import main

    database = build_warehouse(tmp_path / "w.duckdb")
    args = ["report", "sygefravaer", "--database", str(database), "--out", str(tmp_path / "o")]
    with pytest.raises(SystemExit) as exit_info:
        main([*args, *extra])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(message), err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())
