"""The reports of a build, rendered two at a time in processes of their own.

Six reports cost ~4 s of one core here, mostly matplotlib and the XLSX writer, after everything
else; the other core was idle. `report_pool()` (around the build's report run) starts two
processes that import the report libraries while the build publishes and records its run; the
report step then hands each report to a free one. Each process opens the published warehouse
read-only with half the build's DuckDB memory and threads (`limits.shared`), so together they
stay inside the build's limits. Without a pool (`dagster dev`, tests, `rummelig report`) the
reports render one after the other in the calling process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from orchestration.limits import shared
from orchestration.process_exit import tune_collector, worker_exits_without_clean_up

WORKERS = 2
REPORTS_STEP = "reports"  # the report step's name (orchestration/assets/reports.py)
_POOL: ProcessPoolExecutor | None = None


def _preload() -> None:
    """A report process's first work: the libraries every report needs. Like the build's own
    process (orchestration/process_exit.py) it collects garbage less often, and it ends without
    Python's module clean-up: the build waited ~0.3 s at the end of its report step for two
    interpreters to tear matplotlib down."""
    worker_exits_without_clean_up()
    tune_collector()
    from reports import charts
    from reports.registry import all_reports

    all_reports()
    charts.pyplot()


def _render(name: str, database: str, period: str, out_dir: str, config: dict) -> list[Path]:
    from reports.registry import run_report

    return run_report(
        name, Path(database), period=period, out_dir=Path(out_dir), connection_config=config
    )


@contextmanager
def report_pool() -> Iterator[None]:
    """Start the report processes now (spawned: a fork would copy the build's threads); the
    report step uses them until the block ends."""
    global _POOL
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(WORKERS, mp_context=context, initializer=_preload)
    for _ in range(WORKERS):
        pool.submit(int)  # spawns a process, which imports while the build goes on
    _POOL = pool
    try:
        yield
    finally:
        _POOL = None
        pool.shutdown(wait=True, cancel_futures=True)


def render_reports(
    names: list[str], database: str, period: str, out_dir: str, config: dict
) -> Iterator[tuple[str, Future]]:
    """(name, future of its files) per report, in the order given: in the pool's processes when
    a build started them, else one at a time here as each is asked for."""
    if _POOL is not None:
        share = shared(dict(config), WORKERS)
        futures = [
            (name, _POOL.submit(_render, name, database, period, out_dir, share)) for name in names
        ]
        yield from futures
        return
    for name in names:
        future: Future = Future()
        try:
            future.set_result(_render(name, database, period, out_dir, dict(config)))
        except Exception as exc:  # noqa: BLE001 — the caller's .result() raises it
            future.set_exception(exc)
        yield name, future
