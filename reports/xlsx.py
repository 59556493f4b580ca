"""XLSX output with xlsxwriter: a title row, a frozen header with autofilter, typed columns.

Number formats are stored as Excel format codes ('#,##0', '0.0'); Excel shows them with the
reader's locale, so a Danish Excel displays 1.234,5. `pct` columns take values on the 0–100 scale
(as the marts store them) and are written unchanged with the format '0.0 %' (a literal ' %'), so
a cell equals the mart's figure. None (suppressed or no data) is written as the text '–'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

KINDS = ("text", "int", "dec1", "dec2", "pct", "date")
NUM_FORMATS = {
    "int": "#,##0",
    "dec1": "#,##0.0",
    "dec2": "#,##0.00",
    "pct": '0.0" %"',
    "date": "dd-mm-yyyy",
}
MISSING = "–"


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
    longest = len(col.header)
    for row in rows[:500]:  # a sample is enough for a width
        v = row[idx]
        n = 10 if isinstance(v, date) else len(f"{v:,.2f}") if isinstance(v, float) else len(str(v))
        longest = max(longest, n)
    return min(60.0, longest + 2.0)


def write_xlsx(out_path: Path, sheets: list[Sheet]) -> Path:
    """Write the sheets to out_path and return it."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out_path), {"remove_timezone": True})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    header_fmt = wb.add_format(
        {"bold": True, "bg_color": "#DDE7F0", "bottom": 1, "text_wrap": True, "valign": "top"}
    )
    note_fmt = wb.add_format({"italic": True, "font_color": "#444444"})
    missing_fmt = wb.add_format({"align": "right", "font_color": "#666666"})
    formats = {k: wb.add_format({"num_format": f}) for k, f in NUM_FORMATS.items()}
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.add_worksheet(sheet_name(sheet.name, taken))
        r = 0
        if sheet.title:
            ws.write_string(r, 0, sheet.title, title_fmt)
            r += 2
        header_row = r
        for row in sheet.rows:
            if len(row) != len(sheet.columns):
                raise ValueError(
                    f"sheet {sheet.name!r}: row has {len(row)} cells, expected {len(sheet.columns)}"
                )
        for c, col in enumerate(sheet.columns):
            ws.write_string(r, c, col.header, header_fmt)
            ws.set_column(c, c, _width(col, sheet.rows, c))
        for row in sheet.rows:
            r += 1
            for c, (col, v) in enumerate(zip(sheet.columns, row, strict=True)):
                _write_cell(ws, r, c, col.kind, v, formats, missing_fmt)
        ws.freeze_panes(header_row + 1, 0)
        if sheet.columns:
            ws.autofilter(header_row, 0, max(r, header_row), len(sheet.columns) - 1)
        r += 1
        for note in sheet.notes:
            r += 1
            ws.write_string(r, 0, note, note_fmt)
    wb.close()
    return out_path


def _write_cell(ws, r: int, c: int, kind: str, v: Any, formats: dict, missing_fmt) -> None:
    if v is None or (isinstance(v, float) and v != v):
        if kind == "text":
            ws.write_blank(r, c, None)
        else:
            ws.write_string(r, c, MISSING, missing_fmt)
    elif kind == "text":
        ws.write_string(r, c, str(v))
    elif kind == "date":
        if isinstance(v, datetime):
            v = v.date()
        ws.write_datetime(r, c, datetime(v.year, v.month, v.day), formats["date"])
    else:
        ws.write_number(r, c, float(v), formats[kind])
