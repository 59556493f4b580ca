"""Valid codes of the registers, read from the one list of codes: the dbt seed code_labels.csv.

The seed also carries each code's Danish label (used by the reports) and feeds dbt's code tests.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

CODE_LABELS_CSV = (
    Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "code_labels.csv"
)


@lru_cache(maxsize=1)
def _lists() -> dict[str, tuple[str, ...]]:
    with CODE_LABELS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle, delimiter=";"), key=lambda r: int(r["sort_order"]))
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row["code_list"], []).append(row["code"])
    return {name: tuple(values) for name, values in out.items()}


def code_list(name: str) -> tuple[str, ...]:
    """The codes of one list in the seed's order; KeyError when the seed has no such list."""
    return _lists()[name]
