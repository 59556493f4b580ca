"""The sygefravaer report on the shared demo warehouse (a real build): every shown figure in the
XLSX equals marts.fct_sickness, and no group the mart suppresses shows a number."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest

from reports.registry import run_report

pytestmark = pytest.mark.xdist_group("sygefravaer_demo")

GROUPS = ("ordinaere", "alle", "inklusion")  # the sheet's order


@pytest.fixture(scope="module")
def workbook(demo_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("sygefravaer_demo")
    paths = run_report("sygefravaer", demo_warehouse.database, period="2025", out_dir=out)
    return openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))


def mart_rows(database) -> dict[tuple[str, str], tuple]:
    with duckdb.connect(str(database), read_only=True) as conn:
        rows = conn.execute(
            """select org_unit_id, staff_group, absence_pct, absence_days_per_fte, persons,
            suppressed from marts.fct_sickness
            where period_type = 'year' and period_start = date '2025-01-01'"""
        ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def sheet_rows(workbook) -> list[tuple]:
    out = []
    for row in workbook["Enheder"].iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        out.append(row)
    return out


def test_every_unit_of_the_mart_is_in_the_workbook(demo_warehouse, workbook):
    units_in_mart = {unit for unit, _ in mart_rows(demo_warehouse.database)}
    units_in_book = [row[-1] for row in sheet_rows(workbook)]
    assert len(units_in_book) == len(set(units_in_book))
    assert set(units_in_book) == units_in_mart


def test_workbook_figures_equal_the_mart_and_hide_small_groups(demo_warehouse, workbook):
    mart = mart_rows(demo_warehouse.database)
    shown = primary = complementary = 0
    for row in sheet_rows(workbook):
        for i, group in enumerate(GROUPS):
            cells = tuple(row[2 + 3 * i : 5 + 3 * i])
            figures = mart.get((row[-1], group))
            if figures is None:
                assert cells == (None, None, 0), (row[-1], group)  # nobody in the group
            elif figures[3] and figures[2] > 0:
                assert cells == (None, None, None), (row[-1], group)
                primary += 1
            elif cells == (None, None, None):
                complementary += 1
            else:
                assert cells == figures[:3], (row[-1], group)
                shown += 1
    assert shown > 0 and primary > 0 and complementary > 0  # the demo has every kind of cell
