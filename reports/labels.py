"""Danish labels of codes, from the one list of codes: the dbt seed `code_labels.csv`.

The same file gives ingest its valid codes (ingest/registers/specs.py) and dbt its code tests
(the `in_code_list` generic test), so a code and its label are written down once. KPI names and
their labels come from the one KPI list, the seed `kpi_definitions.csv` (`kpis()`).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
CODE_LABELS_CSV = SEEDS / "code_labels.csv"
KPI_DEFINITIONS_CSV = SEEDS / "kpi_definitions.csv"


@lru_cache(maxsize=1)
def code_lists() -> dict[str, dict[str, str]]:
    """code_list → {code: Danish label}, each list in the seed's sort_order."""
    with CODE_LABELS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle, delimiter=";"), key=lambda r: int(r["sort_order"]))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row["code_list"], {})[row["code"]] = row["label_da"]
    return out


def labels(code_list: str) -> dict[str, str]:
    """{code: label} of one list; KeyError for an unknown list (a typo must fail loudly)."""
    return code_lists()[code_list]


def codes(code_list: str) -> list[str]:
    """The codes of one list, in their sort order."""
    return list(labels(code_list))


def label(code: str | None, code_list: str, missing: str = "Uoplyst") -> str:
    """Danish label of a code; an unknown code is shown as it is, None as `missing`."""
    if code is None:
        return missing
    return labels(code_list).get(code, code)


@lru_cache(maxsize=1)
def kpis() -> dict[str, dict[str, str]]:
    """kpi → its seed row (unit, scopes, label_da, …), in the seed's order (the reports' order)."""
    with KPI_DEFINITIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["kpi"]: row for row in csv.DictReader(handle, delimiter=";")}
