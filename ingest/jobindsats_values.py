"""Cell values of jobindsats.dk extracts (DOMAIN.md §3.4, E20).

Danish strings (`1.234,5`, `9,08`, thousands dots `1.234`), JSON/XLSX numbers taken as they are,
and the suppression marks `-`, `.`, `..` and empty, which mean "no figure" — never 0.
"""

from __future__ import annotations

import math
import re
from typing import Any

SUPPRESSION_MARKS = frozenset({"", "-", ".", ".."})

# Optional sign; trailing "%" is tolerated because percentages sometimes arrive as "9,08 %".
_DANISH_DECIMAL = re.compile(r"^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+),(\d+)\s*%?$")
_THOUSANDS = re.compile(r"^([+-]?)(\d{1,3}(?:\.\d{3})+)\s*%?$")
_INTEGER = re.compile(r"^([+-]?)(\d+)\s*%?$")
# A single point with other than three digits after it can only be a decimal point ("9.5").
_POINT_DECIMAL = re.compile(r"^([+-]?)(\d+)\.(\d+)\s*%?$")

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2212": "-"})


def cell_text(cell: Any) -> str:
    """A cell as trimmed text (dimension values are kept as strings)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell).lower()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).translate(_SPACES).strip()


def is_suppression(cell: Any) -> bool:
    if isinstance(cell, float) and not math.isfinite(cell):
        return True  # NaN in a JSON payload: no figure
    return not isinstance(cell, int | float) and cell_text(cell) in SUPPRESSION_MARKS


def parse_number(cell: Any) -> float | None:
    """The number a cell holds, or None when it holds none (text or a suppression mark).

    JSON and spreadsheet numbers are taken as they are; strings follow E20.
    """
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        value = float(cell)
        return value if math.isfinite(value) else None
    text = cell_text(cell)
    if not text:
        return None
    if m := _DANISH_DECIMAL.match(text):
        sign, whole, frac = m.groups()
        return _signed(sign, float(f"{whole.replace('.', '')}.{frac}"))
    if m := _THOUSANDS.match(text):
        sign, whole = m.groups()
        return _signed(sign, float(whole.replace(".", "")))
    if m := _INTEGER.match(text):
        sign, whole = m.groups()
        return _signed(sign, float(whole))
    if m := _POINT_DECIMAL.match(text):
        sign, whole, frac = m.groups()
        return _signed(sign, float(f"{whole}.{frac}"))
    return None


def _signed(sign: str, value: float) -> float:
    return -value if sign == "-" else value


def is_measure_column(cells: list[Any]) -> bool:
    """E19: every non-empty cell is a number or a suppression mark, and at least one is a number."""
    seen_number = False
    for cell in cells:
        if parse_number(cell) is not None:
            seen_number = True
        elif not is_suppression(cell):
            return False
    return seen_number


def parse_value(cell: Any) -> tuple[float | None, bool]:
    """(value, suppressed) of a cell in a measure column: suppressed cells have value None."""
    value = parse_number(cell)
    return (value, value is None)
