"""The one CPR mask (docs/domain.md §7): every text that leaves ingest goes through it.

Quarantine details and masked rows, free-text cells before they are stored, load-log messages,
error messages and progress lines. A CPR is recognised as six digits and four digits with `-`,
`.`, `/`, a space (also no-break) or nothing between them, and becomes `DDMMYY-****`.

Deliberately greedy: no date check, and also inside longer digit runs (the first ten digits of
`123456789012` are masked), so nothing CPR-shaped can slip through; a masked P-number or long
number in a message is the price. The same pattern serves Python strings (`mask_cpr`) and polars
columns (`mask_cpr_expr`); both regex engines read it the same way (no look-around).
"""

from __future__ import annotations

import re

import polars as pl

CPR_IN_TEXT = r"(\d{6})[-./ \u00a0]?\d{4}"
MASK = "-****"

_CPR = re.compile(CPR_IN_TEXT)


def mask_cpr(text: str | None) -> str | None:
    """`text` with every CPR-shaped digit run written DDMMYY-****."""
    if text is None:
        return None
    return _CPR.sub(lambda m: m.group(1) + MASK, text)


def mask_cpr_expr(text: pl.Expr) -> pl.Expr:
    """The same mask, column-wise."""
    return text.str.replace_all(CPR_IN_TEXT, "${1}" + MASK)


def has_cpr_expr(text: pl.Expr) -> pl.Expr:
    """True where the text holds something the mask would change."""
    return text.str.contains(CPR_IN_TEXT)
