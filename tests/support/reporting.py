"""Build the dbt reporting models (and the seeds they read) on a hand-built test warehouse.

The hand-built warehouses of tests/reports/ hold the marts (and the few intermediate/staging
relations a reporting model reads) as plain tables; this runs the real reporting SQL on them.
dbt runs in a subprocess, as in the Dagster build: an in-process dbt-duckdb keeps the file open,
and the reports then open it read-only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from orchestration.dbt_invocation import dbt_args

SEEDS = ["code_labels", "benchmark_measures"]


def build_reporting(database: Path, models: list[str], as_of: date) -> None:
    """`dbt build` of the seeds and `models` on `database`; raises with dbt's output on failure."""
    # One target folder per test process: dbt's partial parse then spares the later builds.
    target = Path(tempfile.gettempdir()) / f"rummelig-reporting-dbt-{os.getpid()}"
    env = {**os.environ, "RUMMELIG_DATABASE": str(database), "DBT_LOG_PATH": str(target / "logs")}
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    dbt = Path(sys.executable).parent / "dbt"
    args = dbt_args("build", as_of=as_of, target_path=target, select=[*SEEDS, *models])
    args += ["--indirect-selection", "cautious"]  # only tests wholly inside the selection
    done = subprocess.run([str(dbt), *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dbt build failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}")
