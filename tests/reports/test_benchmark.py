"""The benchmark report on hand-made marts (fct_jobindsats, fct_benchmark, meta_build)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.benchmark import REPORT, build_content, period_label, top_and_bottom
from reports.errors import ReportError
from reports.registry import get_report
from tests.support.reporting import build_reporting

MEASURE = "Antal fuldtidspersoner"
# area, code, level, {month: value}; None = suppressed. Hele landet is the national figure.
AREAS = [
    ("Hele landet", None, "land", {1: 1000, 2: 1100, 3: 1200}),
    ("Horsens", "615", "kommune", {1: 50, 2: 55, 3: None}),
    ("Aarhus", "751", "kommune", {1: 80, 2: 90, 3: 100}),
    ("Odder", "727", "kommune", {1: 50, 2: 40, 3: 30}),
    ("Vejle", "630", "kommune", {1: 20, 2: 60, 3: 70}),
    ("RAR Østjylland", None, "rar", {1: 300, 2: 310, 3: 320}),
]
# fct_benchmark worked out by hand (rank, n, percentile = 100 × (n − rank) / (n − 1)):
# M01: 80, 50, 50, 20 → Aarhus 1, Horsens 2, Odder 2, Vejle 4; n 4.
# M02: 90, 60, 55, 40 → Aarhus 1, Vejle 2, Horsens 3, Odder 4; n 4.
# M03: 100, 70, 30 (Horsens suppressed) → Aarhus 1, Vejle 2, Odder 3; n 3.
RANKS = {
    1: {"751": 1, "615": 2, "727": 2, "630": 4},
    2: {"751": 1, "630": 2, "615": 3, "727": 4},
    3: {"751": 1, "630": 2, "727": 3, "615": None},
}
N = {1: 4, 2: 4, 3: 3}
MONTH_END = {1: date(2025, 1, 31), 2: date(2025, 2, 28), 3: date(2025, 3, 31)}


def _facts():
    for name, code, level, values in AREAS:
        for month, value in values.items():
            yield (
                "Y07A02",
                MEASURE,
                name,
                code,
                level,
                f"2025M{month:02d}",
                "month",
                date(2025, month, 1),
                MONTH_END[month],
                "{}",
                value,
                value is None,
                "Y07A02_2025.csv",
            )


def _benchmark():
    for name, code, level, values in AREAS:
        if level != "kommune":
            continue
        for month, value in values.items():
            rank, n = RANKS[month][code], N[month]
            national = AREAS[0][3][month]
            yield (
                "Y07A02",
                MEASURE,
                f"2025M{month:02d}",
                "month",
                date(2025, month, 1),
                MONTH_END[month],
                "{}",
                code,
                name,
                value,
                value is None,
                rank,
                n,
                None if rank is None else 100.0 * (n - rank) / (n - 1),
                national,
                None if value is None else value - national,
            )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("benchmark") / "w.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            """create table marts.fct_jobindsats (table_id varchar, measure varchar,
            area_name varchar, municipality_code varchar, area_level varchar, period_code varchar,
            period_type varchar, period_start date, period_end date, dimensions varchar,
            value double, suppressed boolean, source_file varchar)"""
        )
        conn.executemany(
            "insert into marts.fct_jobindsats values (?,?,?,?,?,?,?,?,?,?,?,?,?)", list(_facts())
        )
        conn.execute(
            """create table marts.fct_benchmark (table_id varchar, measure varchar,
            period_code varchar, period_type varchar, period_start date, period_end date,
            dimensions varchar, municipality_code varchar, area_name varchar, value double,
            suppressed boolean, rank_desc bigint, n_municipalities bigint, percentile double,
            national_value double, diff_to_national double)"""
        )
        conn.executemany(
            "insert into marts.fct_benchmark values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            list(_benchmark()),
        )
        conn.execute(
            """create table marts.meta_build as select date '2025-04-15' as as_of,
            date '2022-04-01' as window_start, date '2025-04-15' as window_end,
            timestamp '2025-04-15 06:30:00' as built_at, '615' as municipality_code,
            'Horsens' as municipality_name, 5 as small_cell_min_persons, 36 as history_months"""
        )
    build_reporting(path, ["rpt_benchmark_periods", "rpt_benchmark_measures"], date(2025, 4, 15))
    return path


@pytest.fixture(scope="module")
def conn(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def test_series_our_rank_and_national(conn):
    content = build_content(conn, "2025", table="Y07A02", measure=MEASURE)
    series = content["series"]
    assert [p.period_code for p in series] == ["2025M01", "2025M02", "2025M03"]
    assert [p.value for p in series] == [50, 55, None]
    assert [p.national for p in series] == [1000, 1100, 1200]
    assert [(p.rank, p.n) for p in series] == [(2, 4), (3, 4), (None, 3)]
    assert content["latest"].period_code == "2025M03"  # ours suppressed there: still latest
    assert content["ours_name"] == "Horsens"


def test_count_measure_is_drawn_as_an_index(conn):
    content = build_content(conn, "2025", table="Y07A02", measure=MEASURE)
    svg = str(content["charts"]["development"])
    # Index with January = 100: Horsens 50 → 100, 55 → 110; Hele landet 1000 → 100 … 1200 → 120.
    assert "indeks, januar 2025 = 100" in svg
    assert "Horsens" in svg and "Hele landet" in svg
    # unit and direction on the chart (seed benchmark_measures: fewer on benefits is better)
    assert "(fuldtidspersoner)" in svg and "Lavere er bedre" in svg


def test_rank_axis_is_inverted_with_rank_1_at_the_top(conn):
    import re

    content = build_content(conn, "2025", table="Y07A02", measure=MEASURE)
    svg = str(content["charts"]["rank"])
    # y tick labels with their height: the best rank is drawn above (smaller y) the worst
    ticks = {
        m.group(2): float(m.group(1))
        for m in re.finditer(r'<text[^>]*text-anchor: end"[^>]* y="([\d.]+)"[^>]*>(\d)<', svg)
    }
    best, worst = min(ticks, key=int), max(ticks, key=int)
    assert int(best) < int(worst) and ticks[best] < ticks[worst], ticks


def test_latest_ranking_lists_the_suppressed_municipality_last(conn):
    content = build_content(conn, "2025Q1", table="Y07A02", measure=MEASURE)
    ranking = content["ranking"]
    assert [(r.rank, r.code) for r in ranking] == [
        (1, "751"),
        (2, "630"),
        (3, "727"),
        (None, "615"),
    ]
    assert content["n_suppressed"] == 1
    assert [r.code for r in content["top_bottom"]] == ["751", "630", "727", "615"]


def test_an_earlier_period_limits_the_series(conn):
    content = build_content(conn, "2025-02", table="Y07A02", measure=MEASURE)
    latest = content["latest"]
    assert (latest.period_code, latest.value, latest.rank, latest.n) == ("2025M02", 55, 3, 4)
    assert latest.diff == 55 - 1100


def test_defaults_find_the_only_table_and_measure(conn):
    content = build_content(conn, "2025")
    assert (content["selection"].table_id, content["selection"].measure) == ("Y07A02", MEASURE)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"table": "Y07A02", "measure": "Gennemsnitlig varighed"},
            "Ingen jobindsats-tal for kommune 615 (tabel Y07A02, måling Gennemsnitlig varighed) "
            'til og med 2025-12-31. Findes: Y07A02: "Antal fuldtidspersoner".',
        ),
        (
            {"table": "Y99A99", "measure": MEASURE},
            "Ingen jobindsats-tal for kommune 615 (tabel Y99A99, måling Antal fuldtidspersoner) "
            'til og med 2025-12-31. Findes: Y07A02: "Antal fuldtidspersoner".',
        ),
        (
            {"measure": MEASURE, "dimensions": '{"Køn": "Kvinder"}', "period_type": "quarter"},
            "Ingen jobindsats-tal for kommune 615 (måling Antal fuldtidspersoner, dimensioner "
            '{"Køn": "Kvinder"}, periodetype quarter) til og med 2025-12-31. '
            'Y07A02 "Antal fuldtidspersoner" findes med dimensionerne {} og periodetyperne month.',
        ),
        (
            {"municipality": "101"},
            "Ingen jobindsats-tal for kommune 101 til og med 2025-12-31. "
            "Der er ingen tal for kommunen: læg udtræk i landing-mappens jobindsats/.",
        ),
    ],
)
def test_nothing_found_is_a_clear_error_that_lists_what_exists(conn, options, message):
    with pytest.raises(ReportError) as caught:
        build_content(conn, "2025", **options)
    assert str(caught.value) == message


def test_html_and_xlsx(conn, tmp_path: Path):
    paths = REPORT.render(conn, period="2025", out_dir=tmp_path, table="Y07A02", measure=MEASURE)
    html_path, xlsx_path = paths
    html = html_path.read_text(encoding="utf-8")
    assert "Benchmark med jobindsats.dk" in html
    assert "diskretioneret" in html  # the suppression footnote
    assert "<svg" in html and "http" not in html.split("<body", 1)[1].replace(
        "http://www.w3.org", ""
    )
    # Latest period: Horsens suppressed → "–" and no rank; the other figures in Danish format.
    assert "1.200" in html and "marts 2025" in html
    workbook = openpyxl.load_workbook(xlsx_path)
    rows = list(workbook["Udvikling"].iter_rows(min_row=4, max_row=6, values_only=True))
    assert [r[1] for r in rows] == ["2025-01", "2025-02", "2025-03"]  # one period-code style
    assert rows[0][4:8] == (50, 1000, -950, 2)
    assert rows[2][4] is None and rows[2][7] is None  # suppressed: empty, not 0


def test_registered_as_a_report():
    assert get_report("benchmark").name == "benchmark"


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (
            ("qmat", date(2022, 1, 1), date(2022, 12, 31), "2022QMAT04"),
            "12 mdr. til og med 4. kvt. 2022",
        ),
        (("quarter", date(2024, 1, 1), date(2024, 3, 31), "2024K1"), "1. kvt. 2024"),
        (("mytd", date(2024, 1, 1), date(2024, 3, 31), "2024MYTD03"), "jan.–marts 2024"),
    ],
)
def test_period_labels(args, label):
    assert period_label(*args) == label


def test_top_and_bottom_marks_gaps():
    from reports.benchmark import RankRow

    ranking = [
        RankRow(i, f"K{i}", str(i), float(100 - i), None, None, i == 7) for i in range(1, 21)
    ]
    picked = top_and_bottom(ranking, n=2)
    assert [r.rank if r else None for r in picked] == [1, 2, None, 7, None, 19, 20]
