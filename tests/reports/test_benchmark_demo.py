"""Issue 5 acceptance on the demo: the synthetic extracts for all 98 municipalities land in
fct_jobindsats, fct_benchmark ranks Horsens among them, and the benchmark report is written."""

from __future__ import annotations

import duckdb
import pytest

from reports.registry import run_report

pytestmark = pytest.mark.xdist_group("demo_warehouse")


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
    assert [t[0] for t in tables] == ["PTVC01", "Y07A02", "Y08A02", "Y14D03", "Y30R21"]
    assert all(t[1] == 98 and t[2] > 0 for t in tables)
    rows, n_min, n_max, ranked = horsens
    assert rows > 0 and ranked == rows  # every Horsens figure has a rank among the others
    assert 90 <= n_min <= n_max <= 98


def test_the_demo_writes_the_benchmark_report(demo_warehouse, tmp_path):
    assert list(demo_warehouse.reports.glob("benchmark_*.html"))
    paths = run_report(
        "benchmark",
        demo_warehouse.database,
        period=str(demo_warehouse.as_of.year),
        out_dir=tmp_path,
        table="Y07A02",
        measure="Antal fuldtidspersoner",
    )
    html = paths[0].read_text(encoding="utf-8")
    assert "Horsens" in html and "Hele landet" in html and "<svg" in html
