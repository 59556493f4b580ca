"""Persons: an id per person and a birth day; CPR numbers are made for all of them at the end."""

from __future__ import annotations

import numpy as np

from synthetic.core import Settings
from synthetic.cpr import make_cprs

YEAR = 365.25


class People:
    """Hands out person ids; remembers each person's birth day (day number)."""

    def __init__(self) -> None:
        self._births: list[np.ndarray] = []
        self._count = 0

    def add(self, birth_days: np.ndarray) -> np.ndarray:
        birth_days = np.asarray(birth_days, dtype=np.int64)
        ids = np.arange(self._count, self._count + len(birth_days), dtype=np.int64)
        self._births.append(birth_days)
        self._count += len(birth_days)
        return ids

    def births(self) -> np.ndarray:
        return np.concatenate(self._births) if self._births else np.zeros(0, dtype=np.int64)

    def cprs(self, s: Settings) -> np.ndarray:
        return make_cprs(self.births(), s.rng("cpr"))


def birth_for_age(start_days: np.ndarray, age_lo: float, age_hi: float, rng) -> np.ndarray:
    """Birth days such that the age at start_days is uniform in [age_lo, age_hi) years."""
    age_days = rng.uniform(age_lo * YEAR, age_hi * YEAR, len(start_days))
    return (np.asarray(start_days) - age_days).astype(np.int64)
