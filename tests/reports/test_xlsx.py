"""reports.xlsx: print setup, document properties, outline levels, empty hidden cells."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from reports.xlsx import EMPTY_NOTE, Column, Sheet, Workbook, write_xlsx

WIDE = [Column(f"Tal {i}", "int") for i in range(9)]


@pytest.fixture
def book(tmp_path):
    path = write_xlsx(
        tmp_path / "x.xlsx",
        Workbook(
            title="Sygefravær 2025",
            subject="Sygefravær pr. enhed",
            as_of=date(2025, 11, 15),
            synthetic=True,
            sheets=[
                Sheet(
                    "Data: 2025/Q1 med et meget langt navn",
                    [
                        Column("Enhed"),
                        Column("Personer", "int"),
                        Column("Fravær", "pct"),
                        Column("Dage", "dec1"),
                        Column("Dato", "date"),
                    ],
                    [
                        ("Kommunen", 1234, 5.5, 12.25, date(2025, 3, 31)),
                        ("Skole & SFO", None, None, None, None),
                        ("Indskoling", 7, 4.0, 9.0, None),
                    ],
                    title="Sygefravær 1. kvt. 2025",
                    notes=["Note om tallene"],
                    levels=[0, 1, 2],
                    indent_column=0,
                ),
                Sheet("Bred", WIDE, [tuple(range(9))]),
                Sheet("Metode", [Column("Tekst", width=100)], [("Sådan gør vi",)], prose=True),
            ],
        ),
    )
    return openpyxl.load_workbook(path)


def test_cells_formats_and_empty_hidden_cells(book):
    ws = book.worksheets[0]
    assert book.sheetnames == ["Data- 2025-Q1 med et meget lang", "Bred", "Metode"]
    assert ws["A1"].value == "Sygefravær 1. kvt. 2025"
    assert ws["E1"].value == "Syntetiske data"  # on every sheet when the data are synthetic
    assert all(s["A1"].value and "Syntetiske data" in [c.value for c in s[1]] for s in book)
    assert ws.freeze_panes == "A4"
    assert [c.value for c in ws[4]] == ["Kommunen", 1234, 5.5, 12.25, datetime(2025, 3, 31)]
    assert [ws.cell(4, c).number_format for c in range(2, 6)] == [
        "#,##0", '0.0" %"', "#,##0.0", "dd-mm-yyyy",
    ]  # fmt: skip
    # a hidden figure is an empty cell, never the text "–"; a footnote says what empty means
    assert [c.value for c in ws[5]] == ["Skole & SFO", None, None, None, None]
    assert ws["A8"].value == "Note om tallene" and ws["A9"].value == EMPTY_NOTE


def test_outline_levels_group_the_hierarchy(book):
    ws = book.worksheets[0]
    assert [ws.row_dimensions[r].outline_level for r in (4, 5, 6)] == [0, 1, 2]
    assert ws.sheet_properties.outlinePr.summaryBelow is False  # parents above their children
    assert ws["B6"].alignment.indent == 0 and ws["A6"].alignment.indent == 2


def test_print_setup(book):
    narrow, wide, prose = book.worksheets
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        # one page wide (1 is the OOXML default, which xlsxwriter leaves out), any height
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
        assert "Side &P af &N" in ws.oddFooter.right.text
    assert narrow.page_setup.orientation == "portrait"
    assert wide.page_setup.orientation == "landscape"  # more than 7 columns
    assert narrow.print_title_rows == "$3:$3"  # the header row repeats on every page
    assert narrow.auto_filter.ref == "A3:E6"
    assert prose.auto_filter.ref is None  # no filter on a prose sheet


def test_document_properties(book):
    props = book.properties
    assert (props.title, props.subject, props.creator) == (
        "Sygefravær 2025", "Sygefravær pr. enhed", "Rummelig",
    )  # fmt: skip
    custom = {p.name: p.value for p in book.custom_doc_props.props}
    assert custom == {"as_of": "2025-11-15", "syntetiske data": "ja"}


def test_rejects_unknown_kinds_and_short_rows(tmp_path):
    with pytest.raises(ValueError, match="kind"):
        Column("x", "percent")
    sheet = Sheet("S", [Column("a"), Column("b")], [("only",)])
    with pytest.raises(ValueError, match="cells"):
        write_xlsx(tmp_path / "y.xlsx", Workbook("T", "S", None, [sheet]))
