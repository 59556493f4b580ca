"""Split a register into deliveries the way a payroll system sends them: each file holds the
rows that started since the previous cut plus updates of older rows that ended since then.
In an earlier file, an end that lies after its cut is not known yet (empty), so the later file
repeats the key with the end filled in (later file wins)."""

from __future__ import annotations

from datetime import date

import polars as pl

from synthetic.core import Settings, day


def year_cuts(s: Settings) -> list[tuple[str, int]]:
    """(label, cut day): 31 December of each year of the data period, then as_of."""
    cuts = [(str(y), day(date(y, 12, 31))) for y in range(s.start.year, s.as_of.year)]
    cuts.append((str(s.as_of.year), s.as_of_day))
    if len(cuts) == 1:  # a period inside one year still arrives as two files
        mid = (s.start_day + s.as_of_day) // 2
        cuts = [(f"{s.as_of.year}-1", mid), (f"{s.as_of.year}-2", s.as_of_day)]
    return cuts


def last_two_cuts(s: Settings) -> list[tuple[str, int]]:
    """Two deliveries: everything up to the end of last year, then this year up to as_of."""
    if s.start.year == s.as_of.year:
        return year_cuts(s)
    previous = s.as_of.year - 1
    return [(str(previous), day(date(previous, 12, 31))), (str(s.as_of.year), s.as_of_day)]


def split(
    frame: pl.DataFrame,
    cuts: list[tuple[str, int]],
    start: str,
    final_end: str,
    masked: list[str],
) -> list[tuple[str, pl.DataFrame]]:
    """frame holds day-number columns `start` and `final_end` (null = never ends). In every file
    but the last, the `masked` columns are emptied on rows whose end lies after the cut."""
    out = []
    prev = None
    for i, (label, cut) in enumerate(cuts):
        last = i == len(cuts) - 1
        new = pl.col(start) <= cut if prev is None else pl.col(start) > prev
        if not last and prev is not None:
            new = new & (pl.col(start) <= cut)
        if prev is not None:
            ended = pl.col(final_end).is_not_null() & (pl.col(start) <= prev)
            ended = ended & (pl.col(final_end) > prev)
            ended = ended if last else ended & (pl.col(final_end) <= cut)
            new = new | ended
        part = frame.filter(new)
        if not last:
            unknown = pl.col(final_end).is_null() | (pl.col(final_end) > cut)
            part = part.with_columns(
                [pl.when(unknown).then(None).otherwise(pl.col(c)).alias(c) for c in masked]
            )
        out.append((label, part))
        prev = cut
    return out
