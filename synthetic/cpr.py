"""Valid, unique CPR numbers for given birth dates (docs/domain.md §7: DDMMYY a real date, the 7th
digit consistent with the century; no modulus-11 check)."""

from __future__ import annotations

import numpy as np
import polars as pl

# 7th digits allowed for a birth year, by class (see century_class).
_DIGITS = [
    [0, 1, 2, 3],  # 1900–1936
    [0, 1, 2, 3, 4, 9],  # 1937–1999
    [4, 9, 5, 6, 7, 8],  # 2000–2036
    [5, 6, 7, 8],  # 1858–1899 and 2037–2057
]


def _century_class(year: np.ndarray) -> np.ndarray:
    return np.select([year < 1900, year < 1937, year < 2000, year < 2037], [3, 0, 1, 2], default=3)


def make_cprs(birth_days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One CPR (10 digits, no dash) per birth day; unique as long as fewer than 4 000 people
    share a birth date. Persons born on the same day get distinct (7th digit, serial) pairs."""
    births = np.asarray(birth_days, dtype=np.int64)
    frame = pl.DataFrame({"birth": births, "r": rng.random(len(births))}).with_columns(
        rank=(pl.col("r").rank("ordinal").over("birth") - 1).cast(pl.Int64)
    )
    rank = frame["rank"].to_numpy()
    dates = births.astype("datetime64[D]")
    year = dates.astype("datetime64[Y]").astype(int) + 1970
    month = dates.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    cls = _century_class(year)
    lengths = np.array([len(d) for d in _DIGITS])[cls]
    table = np.full((4, 6), -1)
    for i, digits in enumerate(_DIGITS):
        table[i, : len(digits)] = digits
    digit7 = table[cls, rank % lengths]
    # A per-date offset and a step coprime to 1000 spread serials without collisions.
    serial = ((births * 7919) % 1000 + (rank // lengths) * 389) % 1000
    number = (dom * 10**8 + month * 10**6 + (year % 100) * 10**4 + digit7 * 1000 + serial).astype(
        np.int64
    )
    return pl.Series(number).cast(pl.String).str.zfill(10).to_numpy().astype(object)
