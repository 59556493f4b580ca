"""The inklusion report on a hand-built warehouse: marts tables written directly in DuckDB.

Hand data (period 2025Q3, as_of 2025-11-15, window from 2025-01-01, min 5 persons). Units: K root;
S1 skole (Børn og Unge) with sub-unit S1a; P1 plejecenter (Sundhed og Omsorg); V1 vej_og_park
(Teknik); X1 without workplace (area Borgerservice). Active on each Q3 month_end:
  S1  loentilskud          4 persons 3.5 FTE
  S1a loentilskud          3 persons 2.9 FTE
  P1  fleksjob             6 persons 4.2 FTE
  P1  virksomhedspraktik   2 persons 1.23 FTE
  V1  nyttejob             8 persons 8.0 FTE
  X1  seniorjob            1 person  0.87 FTE
  total 24 persons, 3.5+2.9+4.2+1.23+8.0+0.87 = 20.7 FTE.
Starts: Jul S1 4, P1 fleksjob 6, V1 2 (=12); Aug S1a 3, V1 6 (=9); Sep P1 vp 2, X1 1 (=3).
Ends: Sep 3 (V1 nyttejob, a row with 0 active). Outside the period: 2025-06-30 V1 nyttejob 5
active (5 starts); 2025-11-15 V1 nyttejob 8 active.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.errors import ReportError
from reports.inklusion import build_content
from reports.registry import run_report
from tests.support.reporting import build_reporting

ORG_UNITS = [
    # org_unit_id, name, parent_id, p_number, workplace_type, area, workplace_id, level, path
    ("K", "Horsens Kommune", None, None, None, None, None, 0, "K"),
    ("S1", "Byskolen", "K", "1000000001", "skole", "Børn og Unge", "S1", 1, "K/S1"),
    ("S1a", "Byskolen SFO", "S1", None, None, "Børn og Unge", "S1", 2, "K/S1/S1a"),
    ("P1", "Lindehjemmet", "K", "1000000002", "plejecenter", "Sundhed og Omsorg", "P1", 1, "K/P1"),
    ("V1", "Park og Vej", "K", "1000000003", "vej_og_park", "Teknik", "V1", 1, "K/V1"),
    ("X1", "Borgerservice", "K", None, None, "Borgerservice", None, 1, "K/X1"),
]

Q3 = [date(2025, 7, 31), date(2025, 8, 31), date(2025, 9, 30)]
STEADY = [
    # org_unit_id, workplace_id, scheme, benefit_group, persons, fte
    ("S1", "S1", "loentilskud", "kontanthjaelp_jobparat", 4, 3.5),
    ("S1a", "S1", "loentilskud", "a_dagpenge", 3, 2.9),
    ("P1", "P1", "fleksjob", None, 6, 4.2),
    ("P1", "P1", "virksomhedspraktik", "kontanthjaelp_aktivitetsparat", 2, 1.23),
    ("V1", "V1", "nyttejob", "kontanthjaelp_jobparat", 8, 8.0),
    ("X1", None, "seniorjob", "a_dagpenge", 1, 0.87),
]
STARTS = {  # (month_end, org_unit_id, scheme) → starts
    (Q3[0], "S1", "loentilskud"): 4,
    (Q3[0], "P1", "fleksjob"): 6,
    (Q3[0], "V1", "nyttejob"): 2,
    (Q3[1], "S1a", "loentilskud"): 3,
    (Q3[1], "V1", "nyttejob"): 6,
    (Q3[2], "P1", "virksomhedspraktik"): 2,
    (Q3[2], "X1", "seniorjob"): 1,
}


def placement_rows() -> list[tuple]:
    rows = []
    for m in Q3:
        for unit, wp, scheme, bg, persons, fte in STEADY:
            rows.append(
                (m, unit, wp, scheme, bg, persons, fte, STARTS.get((m, unit, scheme), 0), 0)
            )
    rows.append((Q3[2], "V1", "V1", "nyttejob", "sygedagpenge", 0, 0.0, 0, 3))
    rows.append((date(2025, 6, 30), "V1", "V1", "nyttejob", "kontanthjaelp_jobparat", 5, 5.0, 5, 0))
    rows.append(
        (date(2025, 11, 15), "V1", "V1", "nyttejob", "kontanthjaelp_jobparat", 8, 8.0, 0, 0)
    )
    return rows


def build_warehouse(path: Path, with_meta: bool = True, with_placements: bool = True) -> Path:
    """The marts by hand, then the real reporting model (dbt) on top of them."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute("create schema intermediate")
        conn.execute("create table intermediate.int_build as select date '2025-11-15' as as_of")
        conn.execute(
            """create table marts.dim_org_unit (org_unit_id varchar, name varchar,
            parent_id varchar, p_number varchar, workplace_type varchar, area varchar,
            workplace_id varchar, level integer, path varchar)"""
        )
        conn.executemany("insert into marts.dim_org_unit values (?,?,?,?,?,?,?,?,?)", ORG_UNITS)
        conn.execute(
            """create table marts.fct_placements_monthly (month_end date, org_unit_id varchar,
            workplace_id varchar, scheme varchar, benefit_group varchar, active_persons integer,
            active_fte double, starts integer, ends integer)"""
        )
        if with_placements:
            conn.executemany(
                "insert into marts.fct_placements_monthly values (?,?,?,?,?,?,?,?,?)",
                placement_rows(),
            )
        if with_meta:
            conn.execute(
                """create table marts.meta_build as select date '2025-11-15' as as_of,
                date '2025-01-01' as window_start, date '2025-11-15' as window_end,
                timestamp '2025-11-15 06:30:00' as built_at, '615' as municipality_code,
                'Horsens' as municipality_name, 5 as small_cell_min_persons,
                10 as history_months"""
            )
            conn.execute(
                """create table marts.meta_data_quality as select 'registers' as source,
                'placements' as register, 2 as files_loaded, 0 as files_skipped,
                1 as files_failed, 120 as rows_read, 118 as rows_loaded, 2 as rows_quarantined,
                1 as warnings, 2 as errors,
                [{'severity': 'error', 'reason': 'invalid_cpr', 'problems': 2},
                 {'severity': 'warning', 'reason': 'unknown_code', 'problems': 1}] as reasons,
                ['placements_bad.csv: mangler kolonne scheme'] as failed_files"""
            )
    build_reporting(path, ["rpt_inclusion_monthly"], date(2025, 11, 15))
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("inklusion") / "w.duckdb")


@pytest.fixture(scope="module")
def content(warehouse) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return build_content(conn, "2025Q3")


@pytest.fixture(scope="module")
def outputs(warehouse, tmp_path_factory) -> dict[str, Path]:
    paths = run_report(
        "inklusion", warehouse, period="2025Q3", out_dir=tmp_path_factory.mktemp("out")
    )
    return {p.suffix: p for p in paths}


def rows_of(table) -> list[tuple]:
    return [(g.label, g.persons, g.fte) for g in table.rows] + [
        (table.total.label, table.total.persons, table.total.fte)
    ]


def test_by_scheme_on_the_last_month_end_with_period_flows(content):
    # Persons [vp 2, nyttejob 8, lt 4+3, fj 6, sj 1]: 2 and 1 hidden (two hidden → no secondary).
    # Starts in Q3: vp 2, ny 2+6, lt 4+3, fj 6, sj 1 → 2 and 1 hidden; total 24.
    # Ends: only nyttejob 3 → hidden; no other non-zero cell to hide; total 3 hidden.
    got = [(g.label, g.persons, g.fte, g.starts, g.ends) for g in content["by_scheme"].rows]
    assert got == [
        ("Virksomhedspraktik", None, None, None, 0),
        ("Nyttejob", 8, 8.0, 8, None),
        ("Løntilskud", 7, pytest.approx(6.4), 7, 0),
        ("Fleksjob", 6, pytest.approx(4.2), 6, 0),
        ("Seniorjob", None, None, None, 0),
    ]
    total = content["by_scheme"].total
    assert (total.persons, total.fte, total.starts, total.ends) == (24, 20.7, 24, None)


def test_by_workplace_type_with_secondary_suppression(content):
    # Plejecenter 6+2=8 (4.2+1.23), Skole 4+3=7, Vej og park 8, X1 without workplace 1.
    # Only one cell (1) is small, so the smallest other (Skole 7) is hidden too.
    assert rows_of(content["by_type"]) == [
        ("Plejecenter", 8, pytest.approx(5.43)),
        ("Skole", None, None),
        ("Vej og park", 8, 8.0),
        ("Uden arbejdssted", None, None),
        ("I alt", 24, 20.7),
    ]


def test_by_area_uses_the_workplace_area_and_falls_back_to_the_unit(content):
    # X1 has no workplace: its own area Borgerservice (1 person → hidden, and Børn og Unge 7 too).
    assert rows_of(content["by_area"]) == [
        ("Borgerservice", None, None),
        ("Børn og Unge", None, None),
        ("Sundhed og Omsorg", 8, pytest.approx(5.43)),
        ("Teknik", 8, 8.0),
        ("I alt", 24, 20.7),
    ]


def test_starts_and_ends_per_month_of_the_period(content):
    # Starts Jul 12, Aug 9, Sep 3 → Sep hidden, so the smallest other (Aug 9) is hidden too.
    # Ends 0, 0, 3 → 3 hidden; the total 3 is hidden as well.
    assert [(r["month"], r["starts"], r["ends"], r["active"]) for r in content["month_rows"]] == [
        ("jul. 2025", 12, 0, 24),
        ("aug. 2025", None, 0, 24),
        ("sep. 2025", None, None, 24),
    ]
    assert content["month_total"] == {"starts": 24, "ends": None}
    # the stock of active persons is the same figure as the trend's total for that month
    assert all(r["active"] == content["trend_total"][r["month_end"]] for r in content["month_rows"])


def test_trend_covers_the_window_with_as_of_as_the_last_month_end(content):
    window = content["window"]
    assert window[0] == date(2025, 1, 31) and window[-1] == date(2025, 11, 15)
    assert len(window) == 11
    nyttejob = content["schemes"].index("nyttejob")
    assert content["trend"][date(2025, 6, 30)][nyttejob] == 5
    assert content["trend"][date(2025, 11, 15)][nyttejob] == 8
    assert content["trend_total"][date(2025, 9, 30)] == 24
    assert content["trend_total"][date(2025, 3, 31)] == 0


class _Cells(HTMLParser):
    """Rows of <td>/<th> texts of every table, and every attribute value."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.attrs: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.attrs += [v or "" for _, v in attrs]
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_html_shows_suppressed_cells_as_dash_and_danish_numbers(outputs):
    html = outputs[".html"].read_text(encoding="utf-8")
    parser = _Cells()
    parser.feed(html)
    assert ["Skole", "–", "–"] in parser.rows
    assert ["Plejecenter", "8", "5,4"] in parser.rows
    assert ["I alt", "24", "20,7", "24", "–"] in parser.rows
    assert ["Løntilskud", "7", "6,4", "7", "0"] in parser.rows
    # The hidden FTE of seniorjob (0,87) and virksomhedspraktik (1,23) appear nowhere, not
    # even in attributes or SVG tooltips.
    # (SVG coordinates like "632.0,96.5" are no numbers of ours: hence the look-arounds.)
    for leaked in ("0,9", "0,87", "1,2", "1,23", "0.87", "1.23"):
        assert not re.search(rf"(?<![\d.,]){re.escape(leaked)}(?!\d)", html), leaked


def test_html_header_states_period_as_of_build_and_data_quality(outputs):
    html = outputs[".html"].read_text(encoding="utf-8")
    assert "3. kvt. 2025" in html
    assert "15. nov. 2025" in html  # as_of
    assert "1. jan. 2025" in html  # window start
    assert "kl. 06.30" in html  # build time
    assert "Horsens" in html
    assert "placements_bad.csv: mangler kolonne scheme" in html
    assert "2 rækker af 120 blev afvist ved indlæsningen" in html
    assert "ugyldigt CPR-nummer: 2" in html and "ukendt kode: 1" in html
    # only the registers this report uses: the box names them
    assert "Datakvalitet (Organisationen, Ekstraordinære forløb (jobcentret))" in html
    assert "Nogle tal er skjult" in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?://", html)
    assert "<script" not in html


def test_html_charts_are_well_formed_svg_with_the_series(outputs):
    html = outputs[".html"].read_text(encoding="utf-8")
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 4
    trees = [ET.fromstring(s) for s in svgs]
    ns = "{http://www.w3.org/2000/svg}"
    trend = trees[0]
    assert trend.find(f"{ns}title").text == "Aktive personer pr. ordning ved månedens udgang"
    texts = {t.text.strip() for t in trend.iter(f"{ns}text") if t.text}
    # the legend names every scheme; the x axis months and the y axis counts are Danish
    assert {"Virksomhedspraktik", "Nyttejob", "Løntilskud", "Fleksjob", "Seniorjob"} <= texts
    assert {"jan. 2025", "jun. 2025", "nov. 2025"} <= texts
    assert "Måneden er ikke slut" in texts  # as_of 15 Nov: the last month is partial


def test_xlsx_sheets_values_formats_and_frozen_header(outputs):
    wb = openpyxl.load_workbook(outputs[".xlsx"])
    assert wb.sheetnames == [
        "Overblik", "Ordninger", "Arbejdspladstyper", "Områder", "Starter og ophør", "Udvikling",
    ]  # fmt: skip
    ws = wb["Arbejdspladstyper"]
    assert ws["A1"].value.startswith("Inklusionsoverblik 3. kvt. 2025")
    assert [c.value for c in ws[3]] == ["Arbejdspladstype", "Aktive personer", "Årsværk"]
    assert ws.freeze_panes == "A4"
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=8)]
    assert values == [
        ["Plejecenter", 8, pytest.approx(5.43)],
        ["Skole", None, None],
        ["Vej og park", 8, 8],
        ["Uden arbejdssted", None, None],
        ["I alt", 24, pytest.approx(20.7)],
    ]
    assert ws["B4"].number_format == "#,##0"
    assert ws["C4"].number_format == "#,##0.0"
    trend = wb["Udvikling"]
    assert [trend["A4"].value, trend["B4"].value] == ["jan. 2025", "2025-01"]
    assert [trend["A14"].value, trend["B14"].value] == ["nov. 2025 (ikke slut)", "2025-11"]
    assert wb.properties.title == "Inklusionsoverblik 3. kvt. 2025"
    # no hidden figure anywhere in the workbook
    numbers = {
        c.value for s in wb for row in s.iter_rows() for c in row if isinstance(c.value, float)
    }
    assert not numbers & {0.87, 1.23}


def test_a_month_period_and_unknown_inputs(warehouse, tmp_path):
    paths = run_report("inklusion", warehouse, period="2025-06", out_dir=tmp_path)
    assert sorted(p.name for p in paths) == ["inklusion_2025-06.html", "inklusion_2025-06.xlsx"]
    with pytest.raises(ReportError, match="Ugyldig periode"):
        run_report("inklusion", warehouse, period="juni", out_dir=tmp_path)
    with pytest.raises(ReportError, match="uden for datavinduet"):
        run_report("inklusion", warehouse, period="2023", out_dir=tmp_path)
    with pytest.raises(ReportError, match="Ukendt rapport 'nope'.*inklusion"):
        run_report("nope", warehouse, period="2025", out_dir=tmp_path)


def test_missing_meta_marts_still_render_with_a_warning(tmp_path):
    db = build_warehouse(tmp_path / "nometa.duckdb", with_meta=False)
    paths = run_report("inklusion", db, period="2025Q3", out_dir=tmp_path / "out")
    html = paths[0].read_text(encoding="utf-8")
    assert "Oplysninger om dataopbygningen mangler (marts.meta_build)" in html


def test_no_placements_renders_empty_tables_and_zero_totals(tmp_path):
    db = build_warehouse(tmp_path / "empty.duckdb", with_placements=False)
    with duckdb.connect(str(db), read_only=True) as conn:
        c = build_content(conn, "2025Q3")
    assert c["by_scheme"].rows == [] and c["by_scheme"].total.persons == 0
    assert [r["starts"] for r in c["month_rows"]] == [0, 0, 0]
    html = run_report("inklusion", db, period="2025Q3", out_dir=tmp_path)[0].read_text()
    assert "Ingen aktive forløb." in html and "Ingen tal at vise" in html
