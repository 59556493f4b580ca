"""reports.common: Danish formatting, periods, suppression, templates, charts, XLSX, registry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.common import (
    TEMPLATE_DIR,
    Column,
    ReportError,
    Sheet,
    data_quality_warnings,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_pct,
    fmt_period,
    parse_period,
    protect,
    protect_total,
    reject_options,
    render_html,
    report_meta,
    resolve_period,
    suppress,
    svg_bar_chart,
    svg_line_chart,
    write_report,
    write_xlsx,
)
from reports.registry import all_reports, get_report

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (999.95, 1, "1.000,0"),  # rounds up across the thousands boundary
        (2.5, 0, "3"),  # half up, not banker's rounding
        (0.125, 2, "0,13"),  # 0.125 is exact in binary: half up gives 0,13
        (-1234.56, 1, "-1.234,6"),
        (-0.04, 1, "0,0"),  # no negative zero
        (0, 0, "0"),
        (None, 0, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_fmt_number(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(12.345, 1, "12,3 %"), (12.35, 1, "12,4 %"), (100, 0, "100 %"), (None, 1, "–")],
)
def test_fmt_pct(value, decimals, expected):
    assert fmt_pct(value, decimals) == expected


def test_dates_and_period_labels():
    assert fmt_date(date(2025, 11, 15)) == "15. nov. 2025"
    assert fmt_date(date(2025, 5, 1)) == "1. maj 2025"
    assert fmt_date(date(2025, 11, 5), short=True) == "05-11-2025"
    assert fmt_datetime(datetime(2025, 11, 15, 9, 5)) == "15. nov. 2025 kl. 09.05"
    assert fmt_date(None) == "–"
    assert fmt_period("year", date(2025, 1, 1)) == "2025"
    assert fmt_period("quarter", date(2025, 1, 1)) == "1. kvt. 2025"
    assert fmt_period("quarter", date(2025, 10, 1)) == "4. kvt. 2025"
    assert fmt_period("month", date(2025, 11, 1)) == "november 2025"


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "code"),
    [
        ("2025", "year", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("2025Q3", "quarter", date(2025, 7, 1), date(2025, 9, 30), "2025Q3"),
        ("2025q1", "quarter", date(2025, 1, 1), date(2025, 3, 31), "2025Q1"),
        ("2024K4", "quarter", date(2024, 10, 1), date(2024, 12, 31), "2024Q4"),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        (" 2025-11 ", "month", date(2025, 11, 1), date(2025, 11, 30), "2025-11"),
    ],
)
def test_parse_period(text, kind, start, end, code):
    p = parse_period(text)
    assert (p.kind, p.start, p.end, p.code) == (kind, start, end, code)


@pytest.mark.parametrize("text", ["25", "2025Q5", "2025-13", "2025-00", "nov 2025", "", "2025H1"])
def test_parse_period_rejects_other_forms(text):
    with pytest.raises(ReportError, match="periode"):
        parse_period(text)


def test_month_ends_stop_at_as_of():
    q4 = parse_period("2025Q4")
    assert q4.month_ends(date(2025, 11, 15)) == [date(2025, 10, 31), date(2025, 11, 15)]
    assert q4.month_ends() == [date(2025, 10, 31), date(2025, 11, 30), date(2025, 12, 31)]


def test_resolve_period_outside_the_window():
    meta = {"window_start": date(2022, 11, 1), "as_of": date(2025, 11, 15)}
    assert resolve_period("2022", meta).kind == "year"  # overlaps the window
    with pytest.raises(ReportError, match="uden for datavinduet"):
        resolve_period("2026", meta)
    with pytest.raises(ReportError, match="uden for datavinduet"):
        resolve_period("2022-10", meta)


def test_suppress():
    assert suppress(12.3, 5, 5) == 12.3
    assert suppress(12.3, 4, 5) is None
    assert suppress(12.3, None, 5) is None
    assert suppress(0, 10, 5) == 0


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([10, 20, 30], [10, 20, 30]),
        ([3, 20, 30], [None, None, 30]),  # one small cell → the smallest other is hidden too
        ([3, 2, 30], [None, None, 30]),  # two small cells → no secondary needed
        ([0, 3, 8], [0, None, None]),  # zeros stay and are never picked as the second cell
        ([0, 0, 3], [0, 0, None]),  # nothing else to hide: the total (3) is hidden instead
        ([None, 7], [None, 7]),
    ],
)
def test_protect(counts, expected):
    assert protect(counts, 5) == expected


def test_protect_total():
    assert protect_total(4, 5) is None
    assert protect_total(5, 5) == 5
    assert protect_total(0, 5) == 0


def test_line_chart_is_well_formed_with_series_and_danish_labels():
    months = [date(2025, m, 28) for m in range(1, 13)]
    svg = svg_line_chart(
        {
            "Ordinære & elever": [(d, 5.25 + i / 10) for i, d in enumerate(months)],
            "Inklusion": [(d, None if i == 4 else 9.0) for i, d in enumerate(months)],
        },
        title="Fravær <pct>",
        y_label="Fraværsprocent",
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Fravær <pct>"
    groups = [g.get("data-series") for g in root.iter(f"{SVG}g")]
    assert groups == ["Ordinære & elever", "Inklusion"]
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert "Ordinære & elever, jan. 2025: 5,3 %" in tips  # 5.25 rounds half up
    assert "Inklusion, dec. 2025: 9,0 %" in tips
    assert not any("maj 2025" in t and t.startswith("Inklusion") for t in tips)  # the gap
    # the gap splits Inklusion's line into two paths
    inklusion = [g for g in root.iter(f"{SVG}g") if g.get("data-series") == "Inklusion"][0]
    assert len(inklusion.findall(f"{SVG}path")) == 2
    axis_texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and re.fullmatch(r"\d+ %", t) for t in axis_texts)


def test_line_chart_without_values_says_so():
    root = ET.fromstring(svg_line_chart({"A": [(date(2025, 1, 31), None)]}, title="Tom"))
    assert "Ingen data" in [t.text for t in root.iter(f"{SVG}text")]


def test_bar_chart_grouped_and_stacked():
    cats = ["Skole", "Vej og park"]
    grouped = ET.fromstring(
        svg_bar_chart(cats, {"Starter": [1234, None], "Ophør": [5, 6]}, title="Forløb")
    )
    rects = grouped.findall(f"{SVG}rect")
    bar_tips = [r.find(f"{SVG}title").text for r in rects if r.find(f"{SVG}title") is not None]
    assert bar_tips == ["Skole, Starter: 1.234", "Skole, Ophør: 5", "Vej og park, Ophør: 6"]
    texts = [t.text for t in grouped.iter(f"{SVG}text")]
    assert "–" in texts  # the missing bar is labelled, not drawn
    stacked = ET.fromstring(
        svg_bar_chart(cats, {"A": [3, None], "B": [4, 6]}, title="Stablet", stacked=True)
    )
    texts = [t.text for t in stacked.iter(f"{SVG}text")]
    assert "7" in texts  # Skole total 3 + 4
    # Vej og park has a hidden part: its total is printed as "–", not as 6
    assert texts.count("–") == 1


def test_base_template_is_offline_and_printable():
    base = (TEMPLATE_DIR / "base.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", base)
    assert "@media print" in base and "size: A4" in base
    assert "<script" not in base
    assert 'lang="da"' in base


def test_render_html_escapes_and_shows_meta(tmp_path):
    (tmp_path / "t.html").write_text("")  # not used: templates come from TEMPLATE_DIR
    meta = {
        "as_of": date(2025, 11, 15),
        "window_start": date(2022, 11, 1),
        "window_end": date(2025, 11, 15),
        "built_at": datetime(2025, 11, 15, 6, 30),
        "generated_at": datetime(2025, 11, 16, 8, 0),
        "municipality_code": "615",
        "municipality_name": "Horsens",
        "small_cell_min_persons": 5,
        "warnings": ["<b>fejl</b> i fil"],
    }
    out = render_html(
        "base.html",
        {"title": "Test & prøve", "meta": meta, "period": parse_period("2025Q1")},
        tmp_path / "sub" / "x.html",
    )
    html = out.read_text(encoding="utf-8")
    assert "Test &amp; prøve" in html
    assert "&lt;b&gt;fejl&lt;/b&gt; i fil" in html
    assert "1. kvt. 2025" in html and "1. nov. 2022 – 15. nov. 2025" in html
    assert "15. nov. 2025 kl. 06.30" in html
    assert "færre end\n    5 personer" in html or "færre end 5 personer" in html


def test_xlsx_formats_frozen_header_and_missing_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "x.xlsx",
        [
            Sheet(
                "Data: 2025/Q1 med et meget langt navn",
                [
                    Column("Enhed"),
                    Column("Personer", "int"),
                    Column("Fravær", "pct"),
                    Column("Dage", "dec1"),
                    Column("Dato", "date"),
                ],
                [("Skole", 1234, 5.5, 12.25, date(2025, 3, 31)), ("Lille", None, None, None, None)],
                title="Sygefravær 1. kvt. 2025",
                notes=["– = skjult"],
            ),
            Sheet("Uden titel", [Column("A", "int")], [(1,)]),
        ],
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Data- 2025-Q1 med et meget lang", "Uden titel"]
    ws = wb.worksheets[0]
    assert ws["A1"].value == "Sygefravær 1. kvt. 2025"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:E5"
    assert [c.value for c in ws[4]] == ["Skole", 1234, 5.5, 12.25, datetime(2025, 3, 31)]
    # pct stays on the 0–100 scale (the mart's value) and is shown with a literal " %"
    assert [ws.cell(4, c).number_format for c in range(2, 6)] == [
        "#,##0",
        '0.0" %"',
        "#,##0.0",
        "dd-mm-yyyy",
    ]
    assert [c.value for c in ws[5]] == ["Lille", "–", "–", "–", "–"]
    assert ws["A7"].value == "– = skjult"
    assert wb["Uden titel"].freeze_panes == "A2"


def test_xlsx_rejects_unknown_kinds_and_short_rows(tmp_path):
    with pytest.raises(ValueError, match="kind"):
        Column("x", "percent")
    with pytest.raises(ValueError, match="cells"):
        write_xlsx(tmp_path / "y.xlsx", [Sheet("S", [Column("a"), Column("b")], [("only",)])])


def test_report_meta_reads_the_meta_marts(tmp_path):
    db = tmp_path / "m.duckdb"
    with duckdb.connect(str(db)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            """create table marts.meta_build as select date '2025-11-15' as as_of,
            date '2022-11-01' as window_start, date '2025-11-15' as window_end,
            timestamp '2025-11-15 06:30:00' as built_at, '615' as municipality_code,
            'Horsens' as municipality_name, 3 as small_cell_min_persons, 36 as history_months"""
        )
        conn.execute(
            """create table marts.meta_data_quality as
            select 'registers' as source, 'engagements' as register, 1 as files_loaded,
              0 as files_skipped, 0 as files_failed, 10 as rows_read, 8 as rows_loaded,
              2 as rows_quarantined, 0 as warnings, 2 as errors,
              [{'severity': 'error', 'reason': 'invalid_date', 'problems': 2}] as reasons,
              []::varchar[] as failed_files
            union all
            select 'registers', 'absences', 1, 0, 0, 5, 5, 0, 0, 0, [], []"""
        )
    with duckdb.connect(str(db), read_only=True) as conn:
        meta = report_meta(conn)
    assert meta["as_of"] == date(2025, 11, 15)
    assert meta["municipality_name"] == "Horsens"
    assert meta["small_cell_min_persons"] == 3
    # a clean register gives no warning line
    assert meta["warnings"] == ["Ansættelser: 2 række(r) afvist — ugyldig dato (fejl) 2"]


def test_data_quality_warnings_name_failed_files():
    lines = data_quality_warnings(
        [
            {
                "source": "jobindsats",
                "register": "Y07A02",
                "files_failed": 1,
                "failed_files": ["Y07A02_x.json: Forkert nøgle"],
                "warnings": 0,
                "errors": 0,
            }
        ]
    )
    assert lines == [
        "jobindsats.dk Y07A02: 1 fil(er) kunne ikke indlæses (Y07A02_x.json: Forkert nøgle)"
    ]


def test_registry_finds_the_inklusion_report():
    assert "inklusion" in all_reports()
    assert get_report("inklusion").title == "Inklusionsoverblik"
    with pytest.raises(ReportError, match="Ukendt rapport"):
        get_report("findes-ikke")


def test_run_report_checks_the_database_and_period(tmp_path):
    from reports.registry import run_report

    with pytest.raises(ReportError, match="findes ikke"):
        run_report("inklusion", tmp_path / "none.duckdb", period="2025", out_dir=tmp_path)
    with pytest.raises(ReportError, match="Ugyldig periode"):
        run_report("inklusion", tmp_path / "none.duckdb", period="2025-1-1", out_dir=tmp_path)
    assert not Path(tmp_path / "none.duckdb").exists()


@pytest.mark.parametrize(
    ("hi", "integer", "expected"),
    [
        (12, True, [0, 5, 10, 15]),  # raw step 2,4 → 2,5 is no whole step → 5
        (7, True, [0, 2, 4, 6, 8]),
        (1, True, [0, 1]),
        (12.3, False, [0, 2.5, 5, 7.5, 10, 12.5]),
    ],
)
def test_nice_ticks(hi, integer, expected):
    from reports.charts import nice_ticks

    assert nice_ticks(0, hi, integer=integer) == pytest.approx(expected)


def test_reject_options_names_the_unknown_ones_and_ignores_unset():
    reject_options("kvote", {"unit": None})
    with pytest.raises(ReportError, match=r"^Rapporten kvote kender ikke tilvalget a, b\.$"):
        reject_options("kvote", {"b": "x", "a": 1, "c": None})


def test_write_report_writes_the_html_and_xlsx_pair(tmp_path):
    sheets = [Sheet("Ark", [Column("Tal", "int")], [(7,)])]
    html, xlsx = write_report(tmp_path / "ud", "r_2025", "base.html", {"title": "Prøve"}, sheets)
    assert (html.name, xlsx.name) == ("r_2025.html", "r_2025.xlsx")
    assert "Prøve" in html.read_text(encoding="utf-8")
    assert openpyxl.load_workbook(xlsx)["Ark"]["A2"].value == 7
