"""The reporting period a user asks for (`--period 2025 | 2025Q3 | 2025-11`) and its labels.

One period-code style everywhere (file names, XLSX cells, CLI): `2025`, `2025Q3`, `2025-11`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from reports.errors import ReportError
from reports.formatting import fmt_date, fmt_month, fmt_quarter


def month_end(d: date) -> date:
    """Natural last day of d's month."""
    first_next = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def period_code(period_type: str, period_start: date) -> str:
    """'2025', '2025Q3' or '2025-11' for a mart period."""
    if period_type == "year":
        return str(period_start.year)
    if period_type == "quarter":
        return f"{period_start.year}Q{(period_start.month - 1) // 3 + 1}"
    if period_type == "month":
        return f"{period_start.year}-{period_start.month:02d}"
    raise ValueError(f"unknown period_type {period_type!r}")


def fmt_period(period_type: str, period_start: date) -> str:
    """Label of a mart period: '2025', '1. kvt. 2025', 'november 2025'."""
    if period_type == "year":
        return str(period_start.year)
    if period_type == "quarter":
        return fmt_quarter(period_start)
    if period_type == "month":
        return fmt_month(period_start)
    raise ValueError(f"unknown period_type {period_type!r}")


_PERIOD_RE = re.compile(r"^(\d{4})(?:(?:Q|K)([1-4])|-(\d{1,2}))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period chosen by the user: year, quarter or month (natural bounds)."""

    code: str
    kind: str  # year | quarter | month — the marts' period_type
    start: date
    end: date

    @property
    def label(self) -> str:
        return fmt_period(self.kind, self.start)

    def clipped_end(self, as_of: date | None) -> date:
        """Last observed day: min(natural end, as_of)."""
        return self.end if as_of is None else min(self.end, as_of)

    def is_partial(self, as_of: date | None) -> bool:
        """True when as_of falls before the period's natural end (the period is still running)."""
        return as_of is not None and self.start <= as_of < self.end

    def month_ends(self, as_of: date | None = None) -> list[date]:
        """The marts' month_end keys inside the period (as_of replaces its own month's end)."""
        out, d = [], self.start
        last = self.clipped_end(as_of)
        while d <= last:
            out.append(min(month_end(d), last))
            d = month_end(d) + timedelta(days=1)
        return out

    def wording(self, as_of: date | None, window_start: date | None) -> str:
        """What the figures cover, in words: '2025 (1. jan. – 15. nov. 2025, opgjort til …)'."""
        first = max(self.start, window_start) if window_start else self.start
        last = self.clipped_end(as_of)
        text = f"{self.label}: {fmt_date(first)} – {fmt_date(last)}"
        if self.is_partial(as_of):
            text += f" (perioden er ikke slut; tallene går til og med {fmt_date(as_of)})"
        elif window_start and window_start > self.start:
            text += " (data begynder først inde i perioden)"
        return text


def shifted(period: Period, steps: int) -> Period:
    """The period `steps` periods of the same kind later (negative: earlier): 2025Q1, −1 →
    2024Q4."""
    months = {"year": 12, "quarter": 3, "month": 1}[period.kind] * steps
    index = period.start.year * 12 + period.start.month - 1 + months
    start = date(index // 12, index % 12 + 1, 1)
    if period.kind == "year":
        return parse_period(str(start.year))
    if period.kind == "quarter":
        return parse_period(f"{start.year}Q{(start.month - 1) // 3 + 1}")
    return parse_period(f"{start.year}-{start.month:02d}")


_YEAR_RE = re.compile(r"^\d{4}$")
_QUARTER_RE = re.compile(r"^(\d{4})[QK]([1-4])$")


def year_option(text: str) -> str:
    """`--year 2025` → '2025'; anything else a ReportError in Danish."""
    if not isinstance(text, str) or not _YEAR_RE.match(text.strip()):
        raise ReportError(f"Ugyldigt år {text!r}: skriv fire cifre, fx --year 2025.")
    return text.strip()


def quarter_option(text: str) -> str:
    """`--quarter 2025Q3` (also 2025K3, lower case) → '2025Q3'; else a ReportError in Danish."""
    m = _QUARTER_RE.match(text.strip().upper()) if isinstance(text, str) else None
    if not m:
        raise ReportError(
            f"Ugyldigt kvartal {text!r}: skriv år og kvartal 1–4, fx --quarter 2025Q3."
        )
    return f"{m.group(1)}Q{m.group(2)}"


def parse_period(text: str) -> Period:
    """'2025' | '2025Q3' (also '2025K3', lower case) | '2025-11' → Period; else ReportError."""
    m = _PERIOD_RE.match(str(text).strip().upper())
    if not m:
        raise ReportError(
            f"Ugyldig periode {text!r}: brug år (2025), kvartal (2025Q3) eller måned (2025-11)."
        )
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        start = date(year, 3 * q - 2, 1)
        return Period(f"{year}Q{q}", "quarter", start, month_end(date(year, 3 * q, 1)))
    if m.group(3):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise ReportError(f"Ugyldig periode {text!r}: måneden skal være 01–12.")
        start = date(year, month, 1)
        return Period(f"{year}-{month:02d}", "month", start, month_end(start))
    return Period(str(year), "year", date(year, 1, 1), date(year, 12, 31))


def resolve_period(text: str, meta: dict) -> Period:
    """parse_period, and a ReportError when the period lies wholly outside the data window."""
    period = parse_period(text)
    ws, as_of = meta.get("window_start"), meta.get("as_of")
    if ws is not None and as_of is not None and (period.end < ws or period.start > as_of):
        raise ReportError(
            f"Perioden {period.label} ligger uden for datavinduet "
            f"{fmt_date(ws)} – {fmt_date(as_of)}."
        )
    return period
