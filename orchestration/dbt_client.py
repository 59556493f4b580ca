"""`rummelig-dbt`: the dbt executable dagster-dbt starts (orchestration/project.py).

In a build, the environment names the socket of a dbt process that has already imported dbt
and parsed the project (orchestration/warm_dbt.py, orchestration/dbt_worker.py): the command
runs there and its output, exit code and interrupts pass through this process, so dagster-dbt
sees a dbt process as always. Anywhere else (no worker, or it has served its one command)
this process becomes the environment's own dbt.

Only the standard library is imported here (and orchestration.dbt_worker's constants, which
imports no more): this process starts for every dbt command.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
from pathlib import Path

from orchestration.dbt_worker import EXIT_MARK  # the standard library only, like this module

# Set by orchestration.warm_dbt for a build's run: the worker's socket and process id.
WORKER_SOCKET = "RUMMELIG_DBT_WORKER"
WORKER_PID = "RUMMELIG_DBT_WORKER_PID"


def _connect(path: str) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:  # no worker (any more): dbt runs as usual
        sock.close()
        return None
    return sock


def _relay(sock: socket.socket, args: list[str], pid: int) -> int:
    """Run `args` in the worker `pid`: its output to stdout, interrupts to it; its exit code."""

    def forward(signum, _frame) -> None:  # dagster-dbt interrupts dbt with SIGINT/SIGTERM
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    request = {"args": args, "env": dict(os.environ), "cwd": os.getcwd()}
    sock.sendall(json.dumps(request).encode() + b"\n")
    code = None
    out = sys.stdout.buffer
    # Until EOF: the worker has then exited and released the warehouse file.
    for line in sock.makefile("rb"):
        if line.startswith(EXIT_MARK):
            code = int(line[len(EXIT_MARK) :])
            continue
        out.write(line)
        out.flush()
    if code is None:
        out.write(b"rummelig-dbt: dbt-processen stoppede uden at melde en exitkode\n")
        return 2
    return code


def main() -> None:
    args = sys.argv[1:]
    path, pid = os.environ.get(WORKER_SOCKET), os.environ.get(WORKER_PID, "")
    sock = _connect(path) if path and pid.isdigit() and "--version" not in args else None
    if sock is not None:
        sys.exit(_relay(sock, args, int(pid)))
    dbt = Path(sys.executable).with_name("dbt")
    os.execv(dbt, [str(dbt), *args])


if __name__ == "__main__":
    main()
