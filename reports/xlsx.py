"""XLSX output with xlsxwriter, set up the way HR prints and filters a workbook.

Each sheet: a title row (with "syntetiske data" when the data are synthetic), a blank row, the
header (bold, shaded, frozen, repeated on every printed page), the data, then the notes. Print
setup: A4, landscape when the sheet is wide, fit to one page wide. A data sheet gets an
autofilter; a prose sheet (`Sheet.prose`) does not. Rows may carry an outline level
(`Sheet.levels`), so a hierarchy can be folded level by level in Excel.

Number formats are Excel format codes ('#,##0', '0.0'); Excel shows them with the reader's
locale. `pct` columns take values on the 0–100 scale (as the marts store them) with the format
'0.0 %', so a cell equals the mart's figure. None (hidden or no data) is an empty cell, explained
by a note; text cells hold text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from reports.formatting import KINDS

NUM_FORMATS = {
    "int": "#,##0",
    "dec1": "#,##0.0",
    "dec2": "#,##0.00",
    "pct": '0.0" %"',
    "date": "dd-mm-yyyy",
}
WIDE_COLUMNS = 7  # more columns than this print in landscape
EMPTY_NOTE = (
    "Tomme talceller: tallet er skjult for at beskytte enkeltpersoner, eller der er ingen tal."
)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | int | dec1 | dec2 | pct | date
    width: float | None = None  # characters; None = fitted to the content

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; use one of {KINDS}")


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list[Column]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    notes: Iterable[str] = field(default_factory=tuple)
    prose: bool = False  # text for reading (method, notes): no autofilter
    levels: Sequence[int] | None = None  # outline level per row (0 = top), for grouping
    indent_column: int | None = None  # column whose text is indented by the row's level


@dataclass(frozen=True)
class Workbook:
    """Document properties and the sheets of one report file."""

    title: str
    subject: str
    as_of: date | None
    sheets: list[Sheet]
    synthetic: bool = False
    empty_note: str | None = EMPTY_NOTE  # below every data sheet with number columns


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: ≤ 31 characters, none of []:*?/\\, unique ignoring case."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "Ark"
    base = base[:31]
    candidate, i = base, 2
    while candidate.lower() in taken:
        suffix = f" ({i})"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(candidate.lower())
    return candidate


def _width(col: Column, rows: Sequence[Sequence[Any]], idx: int) -> float:
    if col.width is not None:
        return col.width
    longest = min(len(col.header), 18)  # long headers wrap
    for row in rows[:500]:  # a sample is enough for a width
        v = row[idx]
        if v is None:
            continue
        n = 10 if isinstance(v, date) else len(f"{v:,.2f}") if isinstance(v, float) else len(str(v))
        longest = max(longest, n)
    return min(60.0, longest + 2.0)


def write_xlsx(out_path: Path, book: Workbook) -> Path:
    """Write the workbook to out_path and return it."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out_path), {"remove_timezone": True})
    wb.set_properties(
        {
            "title": book.title,
            "subject": book.subject,
            "author": "Rummelig",
            "company": "Rummelig",
            "keywords": "syntetiske data" if book.synthetic else "",
            "comments": f"Opgjort pr. {book.as_of.isoformat()}" if book.as_of else "",
        }
    )
    if book.as_of:
        wb.set_custom_property("as_of", book.as_of.isoformat())
    wb.set_custom_property("syntetiske data", "ja" if book.synthetic else "nej")
    f = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "synthetic": wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"}),
        "header": wb.add_format(
            {"bold": True, "bg_color": "#DDE7F0", "bottom": 1, "text_wrap": True, "valign": "top"}
        ),
        "note": wb.add_format({"italic": True, "font_color": "#444444"}),
        "prose": wb.add_format({"text_wrap": True, "valign": "top"}),
        **{k: wb.add_format({"num_format": code}) for k, code in NUM_FORMATS.items()},
        **{f"indent{i}": wb.add_format({"indent": i}) for i in range(1, 8)},
    }
    taken: set[str] = set()
    for sheet in book.sheets:
        _write_sheet(wb.add_worksheet(sheet_name(sheet.name, taken)), sheet, book, f)
    wb.close()
    return out_path


def _write_sheet(ws, sheet: Sheet, book: Workbook, f: dict) -> None:
    for row in sheet.rows:
        if len(row) != len(sheet.columns):
            raise ValueError(
                f"sheet {sheet.name!r}: row has {len(row)} cells, expected {len(sheet.columns)}"
            )
    r = 0
    title = sheet.title or book.title
    ws.write_string(r, 0, title, f["title"])
    if book.synthetic:
        ws.write_string(
            r, max(1, min(len(sheet.columns) - 1, 4)), "Syntetiske data", f["synthetic"]
        )
    r += 2
    header_row = r
    for c, col in enumerate(sheet.columns):
        ws.write_string(r, c, col.header, f["header"])
        ws.set_column(c, c, _width(col, sheet.rows, c), f["prose"] if sheet.prose else None)
    levels = list(sheet.levels) if sheet.levels is not None else None
    for i, row in enumerate(sheet.rows):
        r += 1
        for c, (col, v) in enumerate(zip(sheet.columns, row, strict=True)):
            indent = levels[i] if levels and c == sheet.indent_column else 0
            _write_cell(ws, r, c, col.kind, v, f, indent)
        if levels is not None:
            level = min(levels[i], 7)
            ws.set_row(r, None, None, {"level": level, "hidden": False} if level else {})
    ws.freeze_panes(header_row + 1, 0)
    if sheet.columns and not sheet.prose:
        ws.autofilter(header_row, 0, max(r, header_row), len(sheet.columns) - 1)
    if levels is not None:
        ws.outline_settings(True, False, True, False)  # summary rows above their details
    r += 1
    notes = list(sheet.notes)
    if book.empty_note and not sheet.prose and any(c.kind != "text" for c in sheet.columns):
        notes.append(book.empty_note)
    for note in notes:
        r += 1
        ws.write_string(r, 0, note, f["note"])
    # Print: A4, landscape when wide, one page wide, the header on every page, title in footer.
    ws.set_paper(9)
    if len(sheet.columns) > WIDE_COLUMNS:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    footer = "&L&8" + _hf(title) + ("  ·  Syntetiske data" if book.synthetic else "")
    ws.set_footer(footer + "&R&8Side &P af &N")


def _hf(text: str) -> str:
    """Text for an Excel header/footer: '&' must be doubled."""
    return text.replace("&", "&&")[:200]


def _write_cell(ws, r: int, c: int, kind: str, v: Any, f: dict, indent: int) -> None:
    if v is None or (isinstance(v, float) and v != v):
        ws.write_blank(r, c, None)
    elif kind == "text":
        ws.write_string(r, c, str(v), f.get(f"indent{min(indent, 7)}") if indent else None)
    elif kind == "date":
        if isinstance(v, datetime):
            v = v.date()
        ws.write_datetime(r, c, datetime(v.year, v.month, v.day), f["date"])
    else:
        ws.write_number(r, c, float(v), f[kind])
