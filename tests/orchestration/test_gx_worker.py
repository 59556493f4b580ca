"""The build's GX process (orchestration/gx_worker.py) and the checks of a schema as one step
(orchestration/checks.py): the same results as validating here, a suite that cannot run does not
take the others with it, and the process never outlives the build that started it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSpec, MaterializeResult, materialize, multi_asset
from dagster_duckdb import DuckDBResource

import orchestration.gx_worker as gx_worker_module
from expectations.core import SuiteResult
from expectations.suites import all_suites
from orchestration.checks import check_step, suite_checks
from orchestration.gx_worker import SuiteError, gx_worker, validate_here, validate_suites

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("gx_worker")]


def _ended(pid: int) -> bool:
    """Gone, or a zombie nobody reaped yet (it runs no more code either way)."""
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State"))
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "Z" in state.split()[1]


@pytest.fixture
def warehouse(demo_warehouse, tmp_path) -> Path:
    copy = tmp_path / "checks.duckdb"
    shutil.copy(demo_warehouse.database, copy)
    return copy


def test_the_worker_validates_in_its_own_process_with_the_same_results(warehouse, monkeypatch):
    names = [suite.name for suite in all_suites()]
    here = validate_here(str(warehouse), {}, names)
    assert all(isinstance(result, SuiteResult) for result in here)
    # this process can no longer validate: what comes back was validated by the worker
    monkeypatch.setattr(gx_worker_module, "validate_here", _refuse)
    with gx_worker() as worker:
        there = validate_suites(str(warehouse), {"threads": "1"}, names)
        pid = worker.pid
        # one request: the worker has ended (its memory is not held while dbt runs), and the
        # next checks (the marts', after dbt) validate in this process
        assert _ended(pid)
        assert worker._process.exitcode == 0  # it ends itself (os._exit), not killed
        with pytest.raises(AssertionError, match="validated in the build's own process"):
            validate_suites(str(warehouse), {}, names[:1])
    assert there == here
    assert [result.suite for result in there] == names


def _refuse(*_args, **_kwargs):
    raise AssertionError("validated in the build's own process")


def _raw_only(warehouse: Path, tmp_path: Path) -> Path:
    """A warehouse with raw.engagements but no raw.placements: the placements suite cannot run."""
    database = tmp_path / "raw_only.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute(f"ATTACH '{warehouse}' AS src (READ_ONLY)")
        conn.execute("CREATE SCHEMA raw")
        conn.execute("CREATE TABLE raw.engagements AS SELECT * FROM src.raw.engagements")
    return database


def test_a_suite_that_cannot_run_is_named_and_the_others_still_report(warehouse, tmp_path):
    database = _raw_only(warehouse, tmp_path)
    engagements, placements = validate_here(
        str(database), {}, ["raw_engagements", "raw_placements"]
    )
    assert isinstance(engagements, SuiteResult) and engagements.success
    assert isinstance(placements, SuiteError)
    assert "placements" in placements.message and "Traceback" in placements.details

    keys = [AssetKey(["raw", "engagements"]), AssetKey(["raw", "placements"])]

    @multi_asset(specs=[AssetSpec(key) for key in keys])
    def raw_tables():  # the tables are already there
        for key in keys:
            yield MaterializeResult(asset_key=key)

    [checks] = suite_checks([s for s in all_suites() if s.table.startswith("raw.")], set(keys))
    result = materialize(
        [raw_tables, checks],
        resources={"warehouse": DuckDBResource(database=str(database))},
        raise_on_error=False,
    )
    evaluations = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert evaluations == {"raw_engagements": True}
    [failure] = result.get_step_failure_events()
    assert failure.step_key == check_step("raw")
    assert "raw_placements" in failure.step_failure_data.error.message


def test_the_worker_ends_when_the_build_is_killed():
    """kill -9 of the build: the worker sees its pipe close and ends by itself (after its
    import if it is still importing GX)."""
    code = (
        "import os, signal\n"
        "from orchestration.gx_worker import GxWorker\n"
        "worker = GxWorker()\n"
        "print(worker.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    build = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert build.returncode == -9, build.stderr
    pid = int(build.stdout.split()[0])
    deadline = time.monotonic() + 60
    while not _ended(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _ended(pid)
