"""Build the dbt reporting models (and the seeds they read) on a hand-built test warehouse.

The hand-built warehouses of tests/reports/ hold the marts (and the few intermediate/staging
relations a reporting model reads) as plain tables; this runs the real reporting SQL on them, the
way the product runs dbt (tests.support.warehouse.run_dbt: dagster-dbt's DbtCliResource, a dbt
subprocess, so the reports can then open the file read-only).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.support.warehouse import run_dbt

SEEDS = ["code_labels", "benchmark_measures"]


def build_reporting(database: Path, models: list[str], as_of: date) -> None:
    """`dbt build` of the seeds and `models` on `database`; raises with dbt's output on failure."""
    outcome = run_dbt(
        "build",
        database=database,
        as_of=as_of,
        select=[*SEEDS, *models],
        extra=["--indirect-selection", "cautious"],  # only tests wholly inside the selection
        raise_on_failure=False,
    )
    if not outcome.success:
        raise RuntimeError("dbt build failed:\n" + "\n".join(outcome.failures or [outcome.log]))
