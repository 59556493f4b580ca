"""Reference data for mapping jobindsats area names (docs/domain.md §3.4, E21).

The dbt seeds `kommuner.csv` (name, jobindsats_name) and `kommune_aliases.csv` are the single
source: ingest reads the same files that dbt loads into raw.kommuner / raw.kommune_aliases.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
KOMMUNER_CSV = SEEDS_DIR / "kommuner.csv"
KOMMUNE_ALIASES_CSV = SEEDS_DIR / "kommune_aliases.csv"

NATIONAL = "hele landet"
_KOMMUNE_SUFFIX = " kommune"


@dataclass(frozen=True)
class Area:
    area_level: str  # land | rar | kommune
    municipality_code: str | None


def normalise_name(name: str) -> str:
    """Case-insensitive, whitespace-insensitive form of an area name."""
    return " ".join(name.replace("\u00a0", " ").split()).casefold()


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


class AreaIndex:
    """Resolves an area name as written in an extract to its level and municipality code."""

    def __init__(self, names: dict[str, str]):
        self._codes = names  # normalised name → municipality_code

    @classmethod
    def from_seeds(
        cls, kommuner: Path = KOMMUNER_CSV, aliases: Path = KOMMUNE_ALIASES_CSV
    ) -> AreaIndex:
        names: dict[str, str] = {}
        for row in _read_rows(kommuner):
            code = row["municipality_code"].strip()
            for column in ("name", "jobindsats_name"):
                if row.get(column):
                    names[normalise_name(row[column])] = code
        for row in _read_rows(aliases):
            names.setdefault(normalise_name(row["alias"]), row["municipality_code"].strip())
        return cls(names)

    @property
    def municipality_codes(self) -> set[str]:
        return set(self._codes.values())

    def resolve(self, area_name: str) -> Area | None:
        """`Hele landet` → land; `RAR …` → rar; a municipality (name, alias, either with
        ` Kommune`) → kommune with its code; anything else → None (quarantined as unknown_area)."""
        name = normalise_name(area_name)
        if name == NATIONAL:
            return Area("land", None)
        if name.startswith("rar "):
            return Area("rar", None)
        code = self._codes.get(name)
        if code is None and name.endswith(_KOMMUNE_SUFFIX):
            code = self._codes.get(name[: -len(_KOMMUNE_SUFFIX)].strip())
        return Area("kommune", code) if code else None


@lru_cache(maxsize=1)
def default_area_index() -> AreaIndex:
    return AreaIndex.from_seeds()
