"""Issue 5 acceptance on the demo: the synthetic extracts for all 98 municipalities land in
fct_jobindsats, fct_benchmark ranks Horsens among them, and `rummelig report benchmark` writes
HTML and XLSX whose figures are the marts'."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest
from click.testing import CliRunner

from orchestration.cli import cli

pytestmark = pytest.mark.xdist_group("benchmark_demo")

MEASURE = "Antal fuldtidspersoner"


def test_all_98_municipalities_land_and_horsens_is_ranked(demo_warehouse):
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        tables = conn.execute(
            """select table_id, count(distinct municipality_code),
                   count(*) filter (area_level = 'land')
               from marts.fct_jobindsats group by table_id order by table_id"""
        ).fetchall()
        horsens = conn.execute(
            """select count(*), min(n_municipalities), max(n_municipalities),
                   count(*) filter (rank_desc between 1 and n_municipalities)
               from marts.fct_benchmark
               where municipality_code = '615' and table_id = 'Y07A02' and not suppressed"""
        ).fetchone()
        # Horsens's rank and n recomputed from fct_jobindsats alone: 1 + the municipalities
        # with a higher value in the same cell (competition ranking), and those with a value.
        disagreements = conn.execute(
            """with ours as (
                   select * from marts.fct_jobindsats
                   where municipality_code = '615' and value is not null
               ),
               by_hand as (
                   select o.table_id, o.measure, o.period_code, o.dimensions,
                       1 + count(*) filter (k.value > o.value) as rank_desc,
                       count(k.value) as n_municipalities
                   from ours as o
                   join marts.fct_jobindsats as k
                       on k.area_level = 'kommune' and k.table_id = o.table_id
                       and k.measure = o.measure and k.period_code = o.period_code
                       and k.dimensions = o.dimensions
                   group by all
               )
               select count(*), count(*) filter (
                   b.rank_desc is distinct from h.rank_desc
                   or b.n_municipalities is distinct from h.n_municipalities)
               from by_hand as h
               left join marts.fct_benchmark as b
                   on b.municipality_code = '615' and b.table_id = h.table_id
                   and b.measure = h.measure and b.period_code = h.period_code
                   and b.dimensions = h.dimensions"""
        ).fetchone()
    assert [t[0] for t in tables] == ["PTVC01", "Y07A02", "Y08A02", "Y14D03", "Y30R21"]
    assert all(t[1] == 98 and t[2] > 0 for t in tables)
    rows, n_min, n_max, ranked = horsens
    assert rows > 0 and ranked == rows  # every Horsens figure has a rank among the others
    assert 90 <= n_min <= n_max <= 98
    cells, wrong = disagreements
    assert cells > 100 and wrong == 0


def test_the_cli_writes_the_benchmark_report_with_the_marts_figures(demo_warehouse, tmp_path):
    assert list(demo_warehouse.reports.glob("benchmark_*.html"))
    year = str(demo_warehouse.as_of.year)
    args = ["report", "benchmark", "--database", str(demo_warehouse.database)]
    args += ["--period", year, "--out", str(tmp_path), "--measure", MEASURE, "--table", "Y07A02"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    [html_path] = tmp_path.glob("benchmark_*.html")
    [xlsx_path] = tmp_path.glob("benchmark_*.xlsx")
    html = html_path.read_text(encoding="utf-8")
    assert "Horsens" in html and "Hele landet" in html and "<svg" in html

    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        # The demo's Y07A02 is split by Køn; left out, --dimensions defaults to the total.
        dimensions, period_type = '{"Køn": "I alt"}', "month"
        assert (dimensions, period_type) in conn.execute(
            """select distinct dimensions, period_type from marts.fct_benchmark
               where table_id = 'Y07A02' and measure = ?""",
            [MEASURE],
        ).fetchall()
        mart = conn.execute(
            """select strftime(b.period_start, '%Y-%m'), b.value, n.value, b.diff_to_national,
                   b.rank_desc,
                   b.n_municipalities
               from marts.fct_benchmark as b
               left join marts.fct_jobindsats as n
                   on n.area_level = 'land' and n.table_id = b.table_id
                   and n.measure = b.measure and n.period_code = b.period_code
                   and n.dimensions = b.dimensions
               where b.municipality_code = '615' and b.table_id = 'Y07A02' and b.measure = ?
                   and b.dimensions = ? and b.period_type = ? and year(b.period_end) <= ?
               order by b.period_start, b.period_code""",
            [MEASURE, dimensions, period_type, int(year)],
        ).fetchall()
    sheet = openpyxl.load_workbook(xlsx_path)["Udvikling"]
    header_row = next(
        i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0] == "Periode"
    )
    written = [
        (code, ours, national, diff, rank, n)
        for _, code, _, _, ours, national, diff, rank, n, _ in sheet.iter_rows(
            min_row=header_row + 1, values_only=True
        )
        if code
    ]

    def cell(value):  # a suppressed figure is an empty cell, never 0; XLSX keeps 15 digits
        return None if value is None else round(value, 6) if isinstance(value, float) else value

    expected = [tuple(cell(v) for v in row) for row in mart]
    assert len(written) == len(expected) > 1
    assert [tuple(cell(v) for v in row) for row in written] == expected
