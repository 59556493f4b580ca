"""Period codes of jobindsats.dk (docs/domain.md §3.4, E19) → period_type, period_start, period_end.

| code         | type    | period                                                          |
|--------------|---------|-----------------------------------------------------------------|
| `2024M01`    | month   | 2024-01-01 .. 2024-01-31                                        |
| `2024Q1`     | quarter | 2024-01-01 .. 2024-03-31 (Danmarks Statistik's `2024K1` too)     |
| `2022QMAT02` | qmat    | the 12 months ending with Q2 2022: 2021-07-01 .. 2022-06-30     |
| `2024`       | year    | 2024-01-01 .. 2024-12-31 (also `2024Y01`)                       |
| `2024MYTD03` | mytd    | January through month 03: 2024-01-01 .. 2024-03-31              |
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    code: str  # as written in the extract (trimmed)
    period_type: str  # month | quarter | qmat | year | mytd
    start: date
    end: date


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("month", re.compile(r"^(\d{4})M(\d{1,2})$")),
    ("qmat", re.compile(r"^(\d{4})QMAT(\d{1,2})$")),
    ("quarter", re.compile(r"^(\d{4})[QK](\d)$")),
    ("mytd", re.compile(r"^(\d{4})MYTD(\d{2})$")),
    ("year", re.compile(r"^(\d{4})(?:Y01)?$")),
]

_MIN_YEAR, _MAX_YEAR = 1900, 2199


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months_back(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) `months` calendar months before (year, month)."""
    index = year * 12 + (month - 1) - months
    return index // 12, index % 12 + 1


def parse_period(code: str) -> Period | None:
    """The period a code denotes, or None when the code is not one of jobindsats's notations."""
    text = code.strip()
    upper = text.upper()
    for period_type, pattern in _PATTERNS:
        m = pattern.match(upper)
        if not m:
            continue
        year = int(m.group(1))
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            return None
        if period_type == "year":
            return Period(text, "year", date(year, 1, 1), date(year, 12, 31))
        number = int(m.group(2))
        if period_type == "month":
            if not 1 <= number <= 12:
                return None
            return Period(text, "month", date(year, number, 1), _month_end(year, number))
        if period_type == "mytd":
            if not 1 <= number <= 12:
                return None
            return Period(text, "mytd", date(year, 1, 1), _month_end(year, number))
        if not 1 <= number <= 4:
            return None
        last_month = 3 * number
        end = _month_end(year, last_month)
        if period_type == "quarter":
            return Period(text, "quarter", date(year, last_month - 2, 1), end)
        # qmat: the 12 months whose last month is the quarter's last month.
        start_year, start_month = _months_back(year, last_month, 11)
        return Period(text, "qmat", date(start_year, start_month, 1), end)
    return None
