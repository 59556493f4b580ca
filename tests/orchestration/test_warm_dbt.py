"""The early dbt process (orchestration/warm_dbt.py, dbt_worker.py, dbt_client.py): dagster-dbt's
dbt command runs in it on its parse, with dbt's own output, exit code and interrupts; without a
worker `rummelig-dbt` is dbt."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.assets.dbt import dbt_build_args
from orchestration.dbt_client import WORKER_PID, WORKER_SOCKET
from orchestration.project import DBT_PROJECT_DIR, ENV_DBT, ENV_DBT_CLIENT, dbt_cli, dbt_vars
from orchestration.warm_dbt import RECORD, warm_dbt
from tests.support.warehouse import empty_warehouse

pytestmark = pytest.mark.xdist_group("warm_dbt")

AS_OF = date(2025, 11, 15)
SETTINGS = {"memory_limit": "1GB", "threads": "1"}
CAUTIOUS = ["--indirect-selection", "cautious"]  # not the tests of models outside MODELS
MODELS = "stg_org_units int_org_unit_ancestors int_org_units"  # a view and two tables on it


def _run(database: Path, target: Path, *extra: str):
    """dagster-dbt's DbtCliResource.cli, as the dbt step calls it; (invocation, its events)."""
    args = [*dbt_build_args(AS_OF, database, SETTINGS, 1), *extra]
    invocation = dbt_cli().cli(args, target_path=target, raise_on_error=False)
    with contextlib.redirect_stdout(io.StringIO()):  # dagster-dbt echoes every line
        events = [e.raw_event for e in invocation.stream_raw_events()]
    return invocation, events


def _finished(events) -> dict[str, str]:
    return {
        e["data"]["node_info"]["unique_id"]: e["data"]["node_info"]["node_status"]
        for e in events
        if e["info"]["name"] == "LogModelResult"
    }


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return empty_warehouse(tmp_path / "warm.duckdb")


def test_the_dbt_step_runs_in_the_worker_on_its_parse(warehouse, tmp_path):
    target = tmp_path / "target"
    with warm_dbt(dbt_vars(AS_OF, warehouse, SETTINGS), target) as worker:
        invocation, events = _run(warehouse, target, "--select", MODELS, *CAUTIOUS)
        served = worker.served()
    assert invocation.is_successful()
    assert served["parsed"] is True and served["args"][3] == "build"
    # dbt's own structured log reached dagster-dbt through rummelig-dbt, node by node.
    assert _finished(events) == {
        "model.rummelig.stg_org_units": "success",
        "model.rummelig.int_org_unit_ancestors": "success",
        "model.rummelig.int_org_units": "success",
    }
    assert worker.process.returncode == 0  # it served one command and ended
    assert json.loads((target / RECORD).read_text())["parsed"] is True
    with duckdb.connect(str(warehouse), read_only=True) as conn:  # and released the file
        assert conn.execute("select count(*) from intermediate.int_org_units").fetchone() == (0,)


def test_a_command_for_another_warehouse_parses_for_itself(warehouse, tmp_path):
    other = empty_warehouse(tmp_path / "other.duckdb")
    target = tmp_path / "target"
    with warm_dbt(dbt_vars(AS_OF, other, SETTINGS), target) as worker:
        invocation, events = _run(warehouse, target, "--select", "stg_org_units", *CAUTIOUS)
        served = worker.served()
    assert invocation.is_successful()
    assert served["parsed"] is False
    assert _finished(events) == {"model.rummelig.stg_org_units": "success"}


def _worker_env() -> dict[str, str]:
    return {name: os.environ[name] for name in (WORKER_SOCKET, WORKER_PID)}


def _dbt_env(target: Path) -> dict[str, str]:
    """The environment dagster-dbt gives dbt (DbtCliResource.cli)."""
    env = {k: v for k, v in os.environ.items() if k not in (WORKER_SOCKET, WORKER_PID)}
    folders = {"DBT_PROJECT_DIR": str(DBT_PROJECT_DIR), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}
    return env | folders | {"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target)}


def _dbt(executable: Path, args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(executable), *args],
        env=env,
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_failing_command_exits_as_dbt_does(warehouse, tmp_path):
    """A model that fails: dbt's exit code 1 and its error, with and without the worker."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("drop table raw.org_units")
    target = tmp_path / "target"
    vars_json = dbt_vars(AS_OF, warehouse, SETTINGS)
    args = ["run", "--vars", vars_json, "--select", "stg_org_units"]
    plain = _dbt(ENV_DBT, args, _dbt_env(target))
    with warm_dbt(vars_json, target) as worker:
        warm = _dbt(ENV_DBT_CLIENT, args, _dbt_env(target) | _worker_env())
        served = worker.served()
    assert served is not None and served["parsed"] is True  # it ran in the worker
    assert plain.returncode == warm.returncode == 1
    assert "org_units does not exist" in plain.stdout
    assert "org_units does not exist" in warm.stdout


def test_without_a_worker_rummelig_dbt_is_dbt():
    env = {k: v for k, v in os.environ.items() if k != WORKER_SOCKET}
    plain = subprocess.run([str(ENV_DBT), "--version"], env=env, capture_output=True, text=True)
    client = subprocess.run(
        [str(ENV_DBT_CLIENT), "--version"], env=env, capture_output=True, text=True
    )
    assert client.returncode == plain.returncode == 0
    assert client.stdout == plain.stdout and "Core:" in client.stdout


def test_an_unused_worker_ends_with_the_block(tmp_path):
    started = time.monotonic()
    with warm_dbt(dbt_vars(AS_OF, tmp_path / "w.duckdb", SETTINGS), tmp_path / "t") as worker:
        assert os.environ[WORKER_SOCKET].endswith("dbt.sock")
        assert worker.process.poll() is None
    assert worker.process.returncode is not None
    assert WORKER_SOCKET not in os.environ
    assert time.monotonic() - started < 30


def test_an_interrupt_stops_dbt_in_the_worker(warehouse, tmp_path):
    """dagster-dbt interrupts dbt with SIGINT: rummelig-dbt passes it on, and both end — also
    when the build was started with SIGINT ignored (in the background of a shell, or under
    pytest-xdist), which the worker would inherit."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _interrupt(warehouse, tmp_path)
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupt(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    vars_json = dbt_vars(AS_OF, warehouse, SETTINGS)
    args = ["build", "--vars", vars_json, "--exclude-resource-type", "unit_test"]
    with warm_dbt(vars_json, target) as worker:
        client = subprocess.Popen(
            [str(ENV_DBT_CLIENT), *args],
            env=_dbt_env(target) | _worker_env(),
            cwd=DBT_PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 300
        while worker.served() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker.served() is not None
        time.sleep(2)  # dbt is running nodes
        client.send_signal(signal.SIGINT)
        output = client.communicate(timeout=120)[0].decode()
        worker.process.wait(timeout=60)
    assert client.returncode == 2, output[-2000:]  # dbt's code for what it did not finish
    assert worker.process.returncode is not None
    # dbt's own words for a build cut short: what it finished, then the interrupt.
    assert "Encountered an error" in output and "KeyboardInterrupt" in output, output[-2000:]
