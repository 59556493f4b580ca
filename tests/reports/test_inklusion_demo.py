"""The inklusion report and the meta marts on the shared demo warehouse (a real build).

Figures are checked against plain SQL on the marts (an independent path), and the meta marts
against the seed and the audit invariants.
"""

from __future__ import annotations

import duckdb
import openpyxl
import pytest

from reports.periods import parse_period
from reports.registry import run_report

pytestmark = pytest.mark.xdist_group("inklusion_demo")


@pytest.fixture(scope="module")
def report(demo_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("inklusion_demo")
    paths = run_report("inklusion", demo_warehouse.database, period="2025", out_dir=out)
    return {p.suffix: p for p in paths}


def sql(db, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(query, params or []).fetchall()


def test_meta_build_names_the_municipality_and_window(demo_warehouse):
    [(as_of, window_start, window_end, code, name, minp)] = sql(
        demo_warehouse.database,
        """select as_of, window_start, window_end, municipality_code, municipality_name,
        small_cell_min_persons from marts.meta_build""",
    )
    # history_months 36 before November 2025 → 1 November 2022
    assert (str(as_of), str(window_start), str(window_end)) == (
        "2025-11-15",
        "2022-11-01",
        "2025-11-15",
    )
    assert (code, name, minp) == ("615", "Horsens", 5)


def test_meta_data_quality_rows_add_up(demo_warehouse):
    rows = sql(
        demo_warehouse.database,
        """select source, register, rows_read, rows_loaded, rows_quarantined, errors
        from marts.meta_data_quality""",
    )
    assert rows
    for source, register, read, loaded, quarantined, _ in rows:
        assert read == loaded + quarantined, (source, register)
    # the demo's deliberately bad rows show up as errors somewhere
    assert sum(r[5] for r in rows) > 0


def test_report_totals_equal_the_mart(demo_warehouse, report):
    db = demo_warehouse.database
    last = parse_period("2025").month_ends(demo_warehouse.as_of)[-1]  # 2025-11-15
    [(persons, starts)] = sql(
        db,
        """select
             (select sum(active_persons) from marts.fct_placements_monthly where month_end = ?),
             (select sum(starts) from marts.fct_placements_monthly
              where month_end between date '2025-01-31' and ?)""",
        [last, last],
    )
    wb = openpyxl.load_workbook(report[".xlsx"])
    overview = {r[0]: r[1] for r in wb["Overblik"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert overview["Aktive personer ved periodens udgang"] == (persons if persons >= 5 else None)
    assert overview["Starter i perioden"] == (starts if starts >= 5 else None)
    # every month of the window in "Udvikling", the last one (as_of 15 Nov) marked as not over
    codes = []
    for r in wb["Udvikling"].iter_rows(min_row=4, values_only=True):
        if r[0] is None:  # the notes below the table
            break
        codes.append((r[0], r[1]))
    assert len(codes) == 37
    assert codes[0] == ("nov. 2022", "2022-11")
    assert codes[-1] == ("nov. 2025 (ikke slut)", "2025-11")


def test_report_hides_every_small_group(demo_warehouse, report):
    def ok(count) -> bool:
        return count is None or count == 0 or count >= 5

    wb = openpyxl.load_workbook(report[".xlsx"])
    count_columns = {  # sheet → columns holding person/forløb counts (0-based)
        "Ordninger": [1, 3, 4],
        "Arbejdspladstyper": [1],
        "Områder": [1],
        "Starter og ophør": [2, 3, 4],
    }
    for name, columns in count_columns.items():
        for row in wb[name].iter_rows(min_row=4, values_only=True):
            if row[0] is None:
                break  # the notes below the table
            assert all(ok(row[c]) for c in columns), (name, row)
            if name in ("Ordninger", "Arbejdspladstyper", "Områder") and row[1] is None:
                assert row[2] is None, (name, row)  # the FTE goes with the persons
    for row in wb["Udvikling"].iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        assert all(ok(v) for v in row[2:]), row
    html = report[".html"].read_text(encoding="utf-8")
    assert "Horsens" in html and "15. nov. 2025" in html
