"""Shared pieces of the generator: settings, seeded random streams and day arithmetic.

Dates are handled as int64 day numbers (days since 1970-01-01) in numpy, so every step is a
vector operation; `to_date_series` turns them into polars dates (negative sentinel → null).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

EPOCH = date(1970, 1, 1)
NO_DATE = np.iinfo(np.int64).min  # sentinel for "no date" in day arrays


def day(d: date) -> int:
    return (d - EPOCH).days


@dataclass(frozen=True)
class Settings:
    seed: int
    employees: int
    start: date
    as_of: date
    municipality_code: str
    municipality_name: str

    @property
    def start_day(self) -> int:
        return day(self.start)

    @property
    def as_of_day(self) -> int:
        return day(self.as_of)

    @property
    def years(self) -> float:
        return (self.as_of_day - self.start_day + 1) / 365.25

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random stream per purpose: changing one part never shifts another."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode())])


def to_date_series(name: str, days: np.ndarray) -> pl.Series:
    days = np.asarray(days, dtype=np.int64)
    out = days.astype("datetime64[D]")
    out[days == NO_DATE] = np.datetime64("NaT")
    return pl.Series(name, out).cast(pl.Date)


def choice(rng: np.random.Generator, codes: list[str], probs: list[float], n: int) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return np.asarray(codes, dtype=object)[rng.choice(len(codes), size=n, p=p / p.sum())]


def ensure_codes(values: np.ndarray, codes: list[str], eligible: np.ndarray) -> np.ndarray:
    """Overwrite eligible rows with codes that are missing among them, so every code occurs even
    in a tiny municipality. Only rows whose value also occurs elsewhere are overwritten, so no
    other code disappears (a loop over the few missing codes, not over rows)."""
    values = values.copy()
    eligible = np.asarray(eligible, dtype=bool)
    for code in codes:
        pool = values[eligible]
        if (pool == code).any():
            continue
        keys = np.asarray([str(v) for v in pool]) if pool.dtype == object else pool.astype(str)
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        spare = np.flatnonzero(eligible)[counts[inverse] > 1]
        if len(spare):
            values[spare[-1]] = code
    return values


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday … 6 = Sunday (1970-01-01 was a Thursday)."""
    return (np.asarray(days) + 3) % 7


def busdays(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Weekdays in [first, last] (inclusive); 0 when last < first."""
    a = np.asarray(first, dtype="int64").astype("datetime64[D]")
    b = (np.asarray(last, dtype="int64") + 1).astype("datetime64[D]")
    return np.maximum(np.busday_count(a, b), 0)


def ids(prefix: str, n: int, width: int) -> np.ndarray:
    """Sequential ids such as E00000001, as an object array."""
    return (
        pl.select(pl.lit(prefix) + pl.int_range(1, n + 1).cast(pl.String).str.zfill(width))
        .to_series()
        .to_numpy()
        .astype(object)
    )


def masked_text(values: np.ndarray, keep: np.ndarray) -> pl.Series:
    """A text column that is null where keep is false."""
    text = pl.Series(np.asarray(values).astype(str), dtype=pl.String)
    return pl.select(pl.when(pl.Series(np.asarray(keep, dtype=bool))).then(text)).to_series()


def text_series(values: np.ndarray | list, name: str = "") -> pl.Series:
    """Object arrays of str/None → a polars String series (None → null)."""
    return pl.Series(name, np.asarray(values, dtype=object).tolist(), dtype=pl.String)
