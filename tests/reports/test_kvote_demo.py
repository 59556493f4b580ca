"""The kvote report and the reconciliation count on the shared demo warehouse (a real build).

The XLSX is opened with openpyxl and every figure is compared with plain SQL on the marts (an
independent path): the workplace sheet cell by cell, the trend sheet, the breach counts and the
reconciliation; the build summary's reconciliation count equals the mart's row count.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import openpyxl
import pytest

from reports.registry import run_report

pytestmark = pytest.mark.xdist_group("kvote_demo")


@pytest.fixture(scope="module")
def workbook(demo_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("kvote_demo")
    paths = run_report("kvote", demo_warehouse.database, period="2025", out_dir=out)
    return openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))


def sql(db, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(query).fetchall()


def sheet_rows(ws) -> list[tuple]:
    """Data rows below the frozen header; dates as date, '–' (no value) as None."""
    header_row = ws.freeze_panes and int(ws.freeze_panes[1:]) - 1
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None:  # the blank line before the notes
            break
        out.append(
            tuple(None if v == "–" else v.date() if isinstance(v, datetime) else v for v in row)
        )
    return out


def test_every_workplace_row_equals_the_mart(demo_warehouse, workbook):
    as_of = demo_warehouse.as_of
    want = sql(
        demo_warehouse.database,
        f"""select u.name, u.area, s.ordinary_headcount, s.ordinary_fte, s.extraordinary_persons,
                   s.allowed_local, s.headroom_local, s.statutory_count, s.allowed_statutory,
                   s.karens_until, s.approved
            from marts.fct_quota_status s
            join marts.dim_org_unit u on u.org_unit_id = s.workplace_id
            where s.month_end = date '{as_of}'""",
    )
    got = [
        (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[8], r[9], r[11], r[12] == "Ja")
        for r in sheet_rows(workbook["Alle arbejdspladser"])
    ]
    assert len(want) > 5  # the test demo (400 employees) has a handful of workplaces
    key = lambda r: r[0]  # noqa: E731
    assert len(got) == len(want)
    for g, w in zip(sorted(got, key=key), sorted(want, key=key), strict=True):
        assert g[:3] + g[4:7] + g[8:] == w[:3] + w[4:7] + w[8:], w[0]
        assert g[3] == pytest.approx(w[3]) and g[7] == pytest.approx(w[7]), w[0]


def test_trend_sheet_equals_municipality_sums(demo_warehouse, workbook):
    want = sql(
        demo_warehouse.database,
        """select month_end, sum(extraordinary_persons), sum(allowed_local),
                  sum(case when extraordinary_persons > allowed_local then 1 else 0 end),
                  sum(case when karens_until is not null then 1 else 0 end)
           from marts.fct_quota_status group by month_end order by month_end""",
    )
    got = sheet_rows(workbook["Udvikling"])
    assert len(got) == 37 and got[-1][:2] == ("nov. 2025 (ikke slut)", "2025-11")
    assert [g[1] for g in got] == [f"{m.year}-{m.month:02d}" for m, *_ in want]
    assert [g[2:] for g in got] == [tuple(int(v) for v in w[1:]) for w in want]


def test_breach_counts_equal_the_mart(demo_warehouse, workbook):
    want = dict(
        sql(
            demo_warehouse.database,
            """select breach_type, count(distinct placement_id) from marts.fct_quota_breaches
               where year(start_date) = 2025 group by breach_type""",
        )
    )
    labels = {
        "Arbejdspladsen ikke godkendt": "not_approved",
        "Start i karensperiode": "karens",
        "Over den lokale kvote": "over_local_quota",
        "Over rimelighedskravet": "over_statutory",
        "Merbeskæftigelseskravet ikke opfyldt": "merbeskaeftigelse",
    }
    got = {labels[name]: n for name, n in sheet_rows(workbook["Brud pr. type"])}
    assert sum(want.values()) > 0
    assert got == {t: want.get(t, 0) for t in labels.values()}
    [(placements,)] = sql(
        demo_warehouse.database,
        "select count(distinct placement_id) from marts.fct_quota_breaches "
        "where year(start_date) = 2025",
    )
    assert len(sheet_rows(workbook["Brud"])) == placements  # one row per placement


def test_reconciliation_sheet_and_build_summary_equal_the_mart(demo_warehouse, workbook):
    [(n,)] = sql(demo_warehouse.database, "select count(*) from marts.fct_inclusion_reconciliation")
    assert sum(count for _, count in sheet_rows(workbook["Afstemning"])) == n
    assert f"  Afstemning HR ↔ placeringer: {n} uafstemte poster" in demo_warehouse.output
