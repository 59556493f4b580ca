"""Danish number and date formatting for every report, through Babel (locale da_DK).

Rounding is half up on the decimal value (2,5 → 3; Babel alone rounds half to even), and there is
no negative zero. None/NaN is `MISSING`. Percentages are on the 0–100 scale, as the marts store
them, and Babel writes them with a no-break space before the sign ("12,3 %").
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "da_DK"
MISSING = "–"  # shown for None: hidden to protect individuals, or no data


def is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _rounded(x: float | int | Decimal, decimals: int) -> Decimal:
    d = Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(d) if d == 0 else d  # no "-0,0"


def fmt_number(x: float | int | Decimal | None, decimals: int = 0) -> str:
    """'1.234,6' for 1234.55 with one decimal; None → '–'."""
    if is_missing(x):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_rounded(x, decimals), pattern, locale=LOCALE)


def fmt_int(x: float | int | None) -> str:
    return fmt_number(x, 0)


def fmt_pct(x: float | None, decimals: int = 1) -> str:
    """A value on the 0–100 scale: 12.34 → '12,3 %'; None → '–'."""
    if is_missing(x):
        return MISSING
    return f"{fmt_number(x, decimals)}\u00a0%"


def fmt_pp(x: float | None, decimals: int = 1) -> str:
    """Percentage points with a sign: 2.94 → '+2,9'; None → '–'."""
    if is_missing(x):
        return MISSING
    text = fmt_number(x, decimals)
    return text if text.startswith("-") or _rounded(x, decimals) == 0 else f"+{text}"


def fmt_date(d: date | datetime | None, short: bool = False) -> str:
    """'15. nov. 2025' (prose, headers) or, with short=True, '15.11.2025' (tables)."""
    if d is None:
        return MISSING
    return format_date(d, "short" if short else "d. MMM y", locale=LOCALE)


def fmt_datetime(d: datetime | None) -> str:
    """'15. nov. 2025 kl. 14.05'."""
    if d is None:
        return MISSING
    return format_datetime(d, "d. MMM y 'kl.' HH.mm", locale=LOCALE)


def fmt_month(d: date) -> str:
    """'november 2025'."""
    return format_date(d, "MMMM y", locale=LOCALE)


def fmt_month_short(d: date) -> str:
    """'nov. 2025' (tables, chart axes, XLSX month cells)."""
    return format_date(d, "MMM y", locale=LOCALE)


def fmt_month_abbr(d: date) -> str:
    """'jan.', 'maj' (the month alone, as on the årshjul)."""
    return format_date(d, "MMM", locale=LOCALE)


def fmt_quarter(d: date) -> str:
    """'1. kvt. 2025' for any day of the quarter."""
    return format_date(d, "QQQ y", locale=LOCALE)


KINDS = ("text", "int", "dec1", "dec2", "pct", "date")


def fmt_value(x: Any, kind: str) -> str:
    """Format by column kind (text|int|dec1|dec2|pct|date), as the XLSX columns are typed."""
    if is_missing(x):
        return MISSING
    if kind == "int":
        return fmt_number(x, 0)
    if kind == "dec1":
        return fmt_number(x, 1)
    if kind == "dec2":
        return fmt_number(x, 2)
    if kind == "pct":
        return fmt_pct(x, 1)
    if kind == "date":
        return fmt_date(x, short=True)
    return str(x)
