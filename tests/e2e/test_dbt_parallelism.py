"""How many models dbt builds at once in a real build (orchestration/limits.py dbt_threads): as
many as DuckDB has threads on small registers, one at a time on registers that are large for
DuckDB's memory — said on the console and visible in dbt's own record of the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.limits import MAX_DBT_THREADS, machine_threads
from orchestration.warehouse import dbt_target_path
from tests.support.demo import DEMO_AS_OF

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dbt_parallelism")]

ROOT = Path(__file__).resolve().parents[2]
ONE_AT_A_TIME = "dbt bygger én model ad gangen"


def _threads(database: Path) -> int:
    run_results = dbt_target_path(database) / "run_results.json"
    return json.loads(run_results.read_text(encoding="utf-8"))["args"]["threads"]


def test_small_registers_build_models_side_by_side(demo_warehouse):
    assert _threads(demo_warehouse.database) == min(machine_threads(), MAX_DBT_THREADS)
    assert ONE_AT_A_TIME not in demo_warehouse.output


def test_registers_large_for_duckdbs_memory_build_one_model_at_a_time(demo_warehouse, tmp_path):
    """The demo's landing counts as large once the limit is 1 row per GiB (the real limit is a
    million: a national landing). The build runs in its own process, as `rummelig build` does."""
    database = tmp_path / "large.duckdb"
    code = (
        "import orchestration.limits as limits\n"
        "limits.PARALLEL_MODELS_MAX_ROWS_PER_GIB = 1\n"
        "from orchestration.cli import main\n"
        "main()\n"
    )
    args = ["build", "--input", str(demo_warehouse.landing), "--database", str(database)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUMMELIG_THREADS": "2"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args, "--as-of", DEMO_AS_OF.isoformat()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = [line for line in done.stdout.splitlines() if ONE_AT_A_TIME in line]
    assert "rækker i registrene er mange for DuckDB's" in line
    assert _threads(database) == 1
