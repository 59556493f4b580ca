"""Numbers and durations as a Danish reader writes them (Babel's da_DK): 4.456, 0,3 s, 63 s."""

from __future__ import annotations

from babel.numbers import format_decimal

LOCALE = "da_DK"


def number(value: float) -> str:
    """4456 → '4.456'; 12.5 → '12,5'."""
    return format_decimal(value, locale=LOCALE)


def seconds(value: float) -> str:
    """A duration: one decimal under ten seconds ('0,3 s'), whole seconds above ('63 s')."""
    if round(value, 1) < 10:
        return f"{format_decimal(value, format='0.0', locale=LOCALE)} s"
    return f"{format_decimal(round(value), format='#,##0', locale=LOCALE)} s"


def stamp(elapsed: float) -> str:
    """The progress lines' prefix: seconds since the build started, right-aligned."""
    return f"[{seconds(elapsed):>8}]"
