"""Cell values of jobindsats.dk extracts (docs/domain.md §3.4, E20), parsed column-wise in polars.

A column of cells arrives as two series: `text` (cells that are strings) and `number` (cells that
are JSON/XLSX numbers, taken as they are). Danish strings (`1.234,5`, `9,08`, thousands dots
`1.234`) become numbers; the suppression marks `-`, `.`, `..` and empty mean "no figure", never 0.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

SUPPRESSION_MARKS = ["", "-", ".", ".."]

# Optional sign; a trailing "%" is tolerated because percentages sometimes arrive as "9,08 %".
_DANISH_DECIMAL = r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+\s*%?$"
_THOUSANDS = r"^[+-]?\d{1,3}(?:\.\d{3})+\s*%?$"
# Plain integers, and a single point not followed by exactly three digits ("9.5") = decimal point.
_PLAIN = r"^[+-]?\d+(?:\.\d+)?\s*%?$"


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trimmed text; no-break spaces → spaces, the Unicode minus → '-'."""
    return (
        expr.str.replace_all("[\u00a0\u202f]", " ")
        .str.replace_all("\u2212", "-", literal=True)
        .str.strip_chars()
    )


def text_number(text: pl.Expr) -> pl.Expr:
    """The number a (clean) text holds per E20, else null."""
    body = text.str.replace(r"\s*%$", "").str.strip_prefix("+")
    parsed = (
        pl.when(text.str.contains(_DANISH_DECIMAL))
        .then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(text.str.contains(_THOUSANDS))
        .then(body.str.replace_all(".", "", literal=True))
        .when(text.str.contains(_PLAIN))
        .then(body)
        .cast(pl.Float64, strict=False)
    )
    return pl.when(parsed.is_finite()).then(parsed)


def cell_value(text: pl.Expr, number: pl.Expr) -> pl.Expr:
    """A cell's value: a finite JSON/XLSX number as it is, else the number its text holds."""
    return (
        pl.when(number.is_not_null())
        .then(pl.when(number.is_finite()).then(number))
        .otherwise(text_number(text))
    )


def is_suppressed_mark(text: pl.Expr, number: pl.Expr) -> pl.Expr:
    """Empty cells, `-`, `.`, `..`, and NaN/∞ in a JSON payload: no figure."""
    return (
        pl.when(number.is_not_null())
        .then(~number.is_finite())
        .otherwise(text.is_null() | text.is_in(SUPPRESSION_MARKS))
    )


def as_text(text: pl.Expr, number: pl.Expr) -> pl.Expr:
    """A cell as text (dimension values, areas, periods): numbers without a trailing '.0'."""
    integral = number.is_finite() & (number == number.floor()) & (number.abs() < 1e15)
    number_text = (
        pl.when(integral)
        .then(number.cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(number.cast(pl.String))
    )
    return pl.coalesce(text, number_text, pl.lit(""))


def split_cells(cells: list[Any]) -> tuple[list[str | None], list[float | None]]:
    """Python cells → (text, number) lists: strings, and int/float (not bool) as numbers."""
    texts: list[str | None] = []
    numbers: list[float | None] = []
    for cell in cells:
        kind = type(cell)
        if kind is str:
            texts.append(cell)
            numbers.append(None)
        elif kind is float or kind is int:
            texts.append(None)
            numbers.append(float(cell) if abs(cell) < 1e308 or kind is float else math.inf)
        elif cell is None:
            texts.append(None)
            numbers.append(None)
        else:  # bool, dates from a spreadsheet …: their text
            texts.append(str(cell).lower() if kind is bool else str(cell))
            numbers.append(None)
    return texts, numbers


def cell_text(cell: Any) -> str:
    """One cell as trimmed text (headers, title lines): like `as_text` for a single cell."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell).lower()
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    return str(cell).replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-").strip()


def parse_number(cell: Any) -> float | None:
    """The number one cell holds, or None (text or a suppression mark) — the column-wise rule
    applied to a single cell."""
    texts, numbers = split_cells([cell])
    frame = pl.DataFrame(
        {"t": texts, "n": numbers}, schema={"t": pl.String(), "n": pl.Float64()}
    ).select(cell_value(clean_text(pl.col("t")), pl.col("n")).alias("v"))
    return frame["v"][0]


def parse_value(cell: Any) -> tuple[float | None, bool]:
    """(value, suppressed) of one cell of a measure column."""
    value = parse_number(cell)
    return (value, value is None)
