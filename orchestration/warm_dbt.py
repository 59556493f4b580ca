"""A build's dbt, started early: `warm_dbt` starts orchestration.dbt_worker when the build
begins, so that dbt's import and parse (~3 s of a demo build on this machine) run on the other
core while the build ingests and checks its landing folder, instead of at the start of the dbt
step. The dbt step's `rummelig-dbt` (orchestration/dbt_client.py) finds the worker through the
environment variable it sets for the run.

Nothing changes in what dbt does: the same command, arguments, environment and working folder as
dagster-dbt gives it, the same output and exit code. When the worker is not there (not started,
or it failed to parse), `rummelig-dbt` runs dbt as usual.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestration.dbt_client import WORKER_PID, WORKER_SOCKET
from orchestration.dbt_worker import SERVED
from orchestration.project import DBT_PROJECT_DIR, dbt_global_flags

# In the build's dbt target folder: what the worker served in the last build (orchestration/
# dbt_worker.py: the command and whether it ran on the worker's parse), for whoever asks why a
# dbt step was slow; removed when no command reached the worker.
RECORD = "dbt_worker.json"
STOP_SECONDS = 30  # a worker that has not exited by then (it is not running dbt) is killed


def parse_request(vars_json: str, target_path: Path) -> dict:
    """The worker's `dbt parse`: the arguments, environment and folder dagster-dbt gives the
    build's `dbt build` (DbtCliResource.cli), so that dbt parses the same manifest."""
    env = dict(os.environ) | {
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        "DBT_TARGET_PATH": os.fspath(target_path),
        "DBT_LOG_PATH": os.fspath(target_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    args = [*dbt_global_flags(), "parse", "--quiet", "--vars", vars_json]
    return {"args": args, "env": env, "cwd": str(DBT_PROJECT_DIR)}


@dataclass
class WarmDbt:
    process: subprocess.Popen
    folder: Path

    def served(self) -> dict | None:
        """The command the worker ran ({"args", "parsed": ran on the worker's parse}), or None
        when no dbt command reached it."""
        path = self.folder / SERVED
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _record(served: Path, record: Path) -> None:
    with contextlib.suppress(OSError):  # a diagnostic: never what fails a build
        if served.exists():
            record.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(served, record)
        else:
            record.unlink(missing_ok=True)


@contextlib.contextmanager
def warm_dbt(vars_json: str, target_path: Path) -> Iterator[WarmDbt]:
    """A dbt worker for the dbt command of the run inside this block; stopped after it."""
    folder = Path(tempfile.mkdtemp(prefix="rummelig-dbt-"))
    socket_path = folder / "dbt.sock"
    request = json.dumps(parse_request(vars_json, target_path))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(socket_path))
        server.listen(1)
        fd = str(server.fileno())
        worker = subprocess.Popen(
            [sys.executable, "-m", "orchestration.dbt_worker", str(socket_path), fd, request],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parent.parent,
            pass_fds=[server.fileno()],
        )
    before = {name: os.environ.get(name) for name in (WORKER_SOCKET, WORKER_PID)}
    os.environ[WORKER_SOCKET], os.environ[WORKER_PID] = str(socket_path), str(worker.pid)
    try:
        yield WarmDbt(worker, folder)
    finally:
        _record(folder / SERVED, target_path / RECORD)
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        worker.stdin.close()  # an unused worker exits at once
        try:
            worker.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        shutil.rmtree(folder, ignore_errors=True)
