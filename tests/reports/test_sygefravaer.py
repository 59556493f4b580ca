"""The sygefravaer report on a hand-built warehouse: marts tables written directly in DuckDB.

Hand data, year 2024 (as_of 2024-12-31, min 5 persons). Units: K root with A and B below it.
  K alle 6.25 % / 14.0 days per FTE / 12 persons; ordinaere 5.5 / 12.3 / 9;
    inklusion 3 persons → suppressed (hidden figures 9.8765 / 21.9753)
  A alle 7.1 / 15.9 / 7; ordinaere 4.2 / 9.4 / 5; inklusion 2 persons → suppressed
    (hidden 42.4242 / 93.75)
  B alle 3.3 / 7.3 / 5; ordinaere 4 persons → suppressed (hidden 17.3579 / 38.4321);
    inklusion 1 person → suppressed (hidden 61.2345 / 77.7777)
Gap alle − ordinære: K 6.25 − 5.5 = 0.75, A 7.1 − 4.2 = 2.9 (both ≥ 0.5: highlighted); B none.
Months (trend): K alle January 6.0, February 6.5; K inklusion January suppressed (hidden 55.5555).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.common import ReportError
from reports.registry import run_report

MISSING = "–"
HIDDEN = [9.8765, 21.9753, 42.4242, 93.75, 17.3579, 38.4321, 61.2345, 77.7777, 55.5555]
HIDDEN_TEXT = ["9,9", "22,0", "42,4", "93,8", "17,4", "38,4", "61,2", "77,8", "55,6"]

ORG_UNITS = [
    ("K", "Kommunen", None, 0, "K"),
    ("A", "Plejecenter A", "K", 1, "K/A"),
    ("B", "Skole B", "K", 1, "K/B"),
]
# org_unit_id, period_type, period_start, period_end, staff_group, pct, days/fte, persons, suppr.
SICKNESS = [
    ("K", "year", "2024-01-01", "2024-12-31", "alle", 6.25, 14.0, 12, False),
    ("K", "year", "2024-01-01", "2024-12-31", "ordinaere", 5.5, 12.3, 9, False),
    ("K", "year", "2024-01-01", "2024-12-31", "inklusion", 9.8765, 21.9753, 3, True),
    ("A", "year", "2024-01-01", "2024-12-31", "alle", 7.1, 15.9, 7, False),
    ("A", "year", "2024-01-01", "2024-12-31", "ordinaere", 4.2, 9.4, 5, False),
    ("A", "year", "2024-01-01", "2024-12-31", "inklusion", 42.4242, 93.75, 2, True),
    ("B", "year", "2024-01-01", "2024-12-31", "alle", 3.3, 7.3, 5, False),
    ("B", "year", "2024-01-01", "2024-12-31", "ordinaere", 17.3579, 38.4321, 4, True),
    ("B", "year", "2024-01-01", "2024-12-31", "inklusion", 61.2345, 77.7777, 1, True),
    ("K", "month", "2024-01-01", "2024-01-31", "alle", 6.0, 1.3, 12, False),
    ("K", "month", "2024-02-01", "2024-02-29", "alle", 6.5, 1.4, 12, False),
    ("K", "month", "2024-01-01", "2024-01-31", "inklusion", 55.5555, 11.1, 3, True),
]


def build_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.dim_org_unit (org_unit_id varchar, name varchar,"
            " parent_id varchar, level integer, path varchar)"
        )
        conn.executemany("insert into marts.dim_org_unit values (?,?,?,?,?)", ORG_UNITS)
        conn.execute(
            """create table marts.fct_sickness (org_unit_id varchar, period_type varchar,
            period_start date, period_end date, staff_group varchar, absence_pct double,
            absence_days_per_fte double, persons integer, suppressed boolean,
            contracted_hours double)"""
        )
        conn.executemany(
            "insert into marts.fct_sickness values (?,?,?,?,?,?,?,?,?, 1000.0)", SICKNESS
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


def test_xlsx_has_a_sheet_per_level_a_trend_and_the_method(report):
    wb = openpyxl.load_workbook(report[".xlsx"])
    assert wb.sheetnames == ["Niveau 0", "Niveau 1", "Udvikling", "Metode"]
    assert wb["Niveau 0"].freeze_panes == "A4"
    assert wb["Niveau 0"]["D4"].number_format == '0.0" %"'
    method = " ".join(str(c.value) for c in wb["Metode"]["A"] if c.value)
    assert "7,4 timer" in method and "færre end 5 personer" in method


def test_xlsx_figures_equal_the_mart_and_suppressed_cells_show_a_dash(report):
    wb = openpyxl.load_workbook(report[".xlsx"])
    m = MISSING
    assert data_rows(wb["Niveau 0"]) == [
        ["K", "Kommunen", None, 6.25, 14.0, 12, 5.5, 12.3, 9, m, m, m, pytest.approx(0.75)],
    ]
    assert data_rows(wb["Niveau 1"]) == [
        ["A", "Plejecenter A", "Kommunen", 7.1, 15.9, 7, 4.2, 9.4, 5, m, m, m, pytest.approx(2.9)],
        ["B", "Skole B", "Kommunen", 3.3, 7.3, 5, m, m, m, m, m, m, m],
    ]
    assert data_rows(wb["Udvikling"]) == [
        [datetime(2024, 1, 31), 6.0, m, m],
        [datetime(2024, 2, 29), 6.5, m, m],
    ]


def test_no_suppressed_figure_appears_anywhere(report):
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


def test_html_hierarchy_gap_highlight_and_charts(report):
    html = report[".html"].read_text(encoding="utf-8")
    # Indented by level, in hierarchy order.
    assert html.index(">Kommunen<") < html.index(">Plejecenter A<") < html.index(">Skole B<")
    assert 'style="padding-left: 1.7em">Plejecenter A' in html
    assert html.count("gap-high") >= 3  # the CSS rule + K (0,8) and A (2,9)
    assert '<td class="num first gap-high">2,9</td>' in html
    assert html.count("<svg") == 3  # one trend chart per staff group
    assert "6,5 %" in html  # a visible trend point
    assert 'src="http' not in html and 'href="http' not in html  # offline


def test_unit_option_limits_the_report_to_a_subtree(tmp_path):
    database = build_warehouse(tmp_path / "w.duckdb")
    paths = run_report("sygefravaer", database, period="2024", out_dir=tmp_path, unit="A")
    wb = openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))
    assert [r[0] for r in data_rows(wb["Niveau 0"])] == ["A"]
    assert "Niveau 1" not in wb.sheetnames
    with pytest.raises(ReportError, match="findes ikke"):
        run_report("sygefravaer", database, period="2024", out_dir=tmp_path, unit="X")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--period", "2024", "--unit", "X"], "Fejl: Enheden 'X' findes ikke i organisationen."),
        (["--period", "2024", "--unit"], "Fejl: Tilvalget --unit kræver et enheds-id"),
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
