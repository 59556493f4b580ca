"""A dbt process that is ready before the build's dbt step starts (orchestration/warm_dbt.py).

Started when a build begins, it imports dbt and parses the project (from dbt's partial-parse
file) on the machine's other core while the build ingests and checks the landing folder. The
dbt step's `dbt build` then reaches it through the `rummelig-dbt` executable
(orchestration/dbt_client.py) and runs with the parsed manifest through dbt's programmatic API
(`dbtRunner(manifest=…)`), so it neither imports dbt nor parses the project on the build's
critical path (docs/decisions/performance.md). It serves that one command and exits.

Protocol on the Unix socket `argv[1]` (listening already: the build passes it as file descriptor
`argv[2]`, so a client can connect before this process has started): the client sends one JSON
line {"args", "env", "cwd"} (dbt's arguments, environment and working folder, as dagster-dbt
starts dbt); the worker answers with dbt's stdout and stderr and, as its last line, EXIT_MARK and
dbt's exit code. The worker's stdin is a pipe from the build: when it closes (the build has
ended, or died) the worker exits.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
from pathlib import Path

EXIT_MARK = b"\x1erummelig-dbt-exit "
# What decides the manifest dbt parses: a command whose values differ from the worker's parse
# (another warehouse file, other vars, another project) parses for itself, as dbt would.
PARSE_OPTIONS = ("--vars", "--project-dir", "--profiles-dir", "--target")
PARSE_ENV = ("DBT_PROJECT_DIR", "DBT_PROFILES_DIR", "DBT_TARGET_PATH")
# Beside the socket: the command served, and whether it ran on the worker's parse (copied to
# the build's record, orchestration.warm_dbt.RECORD; dbt's own output stays as dbt writes it).
SERVED = "served.json"


def _exit_with_the_build() -> None:
    sys.stdin.buffer.read()  # returns at EOF: the build closed the pipe or is gone
    os._exit(0)


def parse_inputs(args: list[str], env: dict[str, str], cwd: str) -> dict[str, str]:
    inputs = {a: args[i + 1] for i, a in enumerate(args[:-1]) if a in PARSE_OPTIONS}
    return inputs | {k: env.get(k, "") for k in PARSE_ENV} | {"cwd": cwd}


def _parse(prepared: dict):
    """The project's manifest, parsed as `prepared` says; None when dbt could not parse it
    (the command then parses again and reports why, as dbt does)."""
    from dbt.cli.main import dbtRunner

    os.environ.update(prepared["env"])
    os.chdir(prepared["cwd"])
    result = dbtRunner().invoke(prepared["args"])
    return result.result if result.success else None


def _run(request: dict, manifest) -> int:
    """dbt's command as the dbt executable would run it; its exit code (dbt's own: 0 success,
    1 a node failed, 2 dbt failed)."""
    from dbt.cli.main import dbtRunner

    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    result = dbtRunner(manifest=manifest).invoke(request["args"])
    if result.success:
        return 0
    return 2 if result.exception is not None else 1


def main(argv: list[str] | None = None) -> None:
    from orchestration.process_exit import exit_now, tune_collector

    socket_path, fd, prepared = (argv or sys.argv[1:])[:3]
    prepared = json.loads(prepared)
    # Interruptible whatever this process inherited (a build started in the background of a
    # shell, or by a supervisor, ignores SIGINT): the build stops dbt with SIGINT, then SIGTERM.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_the_build, daemon=True).start()
    server = socket.socket(fileno=int(fd))  # bound and listening: the build made it
    tune_collector()
    manifest = _parse(prepared)
    conn, _ = server.accept()
    server.close()
    os.unlink(socket_path)  # one command: a later dbt command runs dbt as usual
    request = json.loads(conn.makefile("rb").readline())
    for fd in (1, 2):  # dbt writes its log lines to stdout: to the client from here on
        os.dup2(conn.fileno(), fd)
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    if parse_inputs(**request) != parse_inputs(**prepared):
        manifest = None
    served = Path(socket_path).with_name(SERVED)
    served.write_text(json.dumps({"args": request["args"], "parsed": manifest is not None}))
    try:
        code = _run(request, manifest)
    except BaseException:  # noqa: BLE001 — reported as dbt reports what it did not handle
        import traceback

        traceback.print_exc()
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, EXIT_MARK + f"{code}\n".encode())
    exit_now(code)  # the atexit handlers close dbt's DuckDB connection


if __name__ == "__main__":
    main()
