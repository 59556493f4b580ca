"""The raw GX suites' own process during a build: it imports Great Expectations while the build
sets up, and validates the suites the raw check step asks for.

Importing GX (with pandas, scipy and altair, which GX imports) costs ~3 s of one core, and the
raw checks sit on the build's critical path before dbt. In a process of its own, started when the
build starts, that import runs beside Dagster's set-up and ingest. The worker opens the
warehouse read-only, one connection, closed before it answers: the file is free
again when dbt (another process) needs it.

`validate_suites` validates the first request (the raw checks) in the worker while one runs
(`gx_worker()` around the build's run); the worker then ends, so that its memory does not add to
dbt's, and the build's process imports GX in a thread while dbt runs, for the marts' checks
after it. Without a worker (`dagster dev`, tests) the suites validate in the calling process.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection

from expectations.core import SuiteResult, gx
from orchestration.process_exit import tune_collector, worker_exits_without_clean_up

_WORKER: GxWorker | None = None


@dataclass(frozen=True)
class SuiteError:
    """A suite that could not be validated (e.g. its query failed): the first line of the error,
    the whole traceback for the log."""

    suite: str
    message: str
    details: str


class GxWorkerError(RuntimeError):
    """The worker ended without answering (killed, out of memory)."""


def _serve(conn: Connection) -> None:
    """The worker: import GX, then answer one (database, config, suite names) request, unless
    the build closes its end of the pipe first."""
    worker_exits_without_clean_up()  # the build waits for this process to end before dbt
    tune_collector()  # as the build's own process: GX allocates many objects that live on
    gx()
    try:
        database, config, names = conn.recv()
    except (EOFError, OSError):  # the build ended (also when it was killed)
        return
    conn.send(validate_here(database, config, names, read_only=True))


def validate_here(
    database: str, config: dict, names: list[str], *, read_only: bool = False
) -> list[SuiteResult | SuiteError]:
    """Validate the named suites on `database` in this process, one connection for all; a suite
    that raises becomes a SuiteError and the others still run."""
    import duckdb

    from expectations.core import validate
    from expectations.suites import all_suites

    suites = {suite.name: suite for suite in all_suites()}
    results: list[SuiteResult | SuiteError] = []
    with duckdb.connect(database, read_only=read_only, config=config) as conn:
        for name in names:
            try:
                results.append(validate(conn, suites[name]))
            except Exception as exc:  # noqa: BLE001 — reported per suite, the step then fails
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                results.append(SuiteError(name, first, traceback.format_exc()))
    return results


class GxWorker:
    """One spawned process (a fork would copy the build's threads and open files) and a pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child,), name="rummelig-gx", daemon=True
        )
        self._process.start()
        child.close()  # the worker's end: only it holds it now, so its exit gives us an EOF

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def validate(self, database: str, config: dict, names: list[str]) -> list:
        self._conn.send((database, config, names))
        try:
            return self._conn.recv()
        except EOFError as exc:
            code = self._process.exitcode
            raise GxWorkerError(
                f"GX-processen stoppede uden svar (exitkode {code}); se systemets log"
                " (hukommelse?)."
            ) from exc

    def close(self) -> None:
        """End the worker: it has ended after its answer, or ends on the closed pipe; one still
        importing GX (a build that stopped early) is terminated, it has nothing to finish."""
        self._conn.close()
        self._process.join(timeout=0.5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


@contextmanager
def gx_worker() -> Iterator[GxWorker]:
    """Start the worker now; `validate_suites` uses it until the block ends."""
    global _WORKER
    worker = GxWorker()
    _WORKER = worker
    try:
        yield worker
    finally:
        _WORKER = None
        worker.close()


def validate_suites(database: str, config: dict, names: list[str]) -> list:
    """SuiteResult or SuiteError per name, in order: in the worker when a build started one,
    which then ends (see below); otherwise in this process."""
    global _WORKER
    if _WORKER is None:
        return validate_here(database, dict(config), list(names))
    worker, _WORKER = _WORKER, None
    try:
        return worker.validate(database, dict(config), list(names))
    finally:
        # One request, the raw checks before dbt: the worker's memory (GX, the frames it
        # validated) must not add to dbt's while dbt runs, at national size ~0.5 GB of a 4 GB
        # budget. The marts' checks validate here after dbt; GX imports in a thread meanwhile,
        # while this process mostly waits for dbt.
        worker.close()
        threading.Thread(target=gx, name="rummelig-gx-import", daemon=True).start()
