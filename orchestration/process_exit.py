"""How the `rummelig` process runs and ends: for the console script only, not for the library
(tests call orchestration.cli.main in their own process, which must not end).

A demo build leaves ~600 000 Python objects (Dagster's definitions, dbt's manifest, pandas and
GX modules). Python's shutdown then clears every module and collects them all, ~1.5 s of a
~20 s build in which nothing is left to do: `exit_now` does what that shutdown does first (waits
for threads that are not daemons, runs the atexit handlers: log files flushed, temporary folders
removed) and ends the process without the clean-up. The collector's
youngest generation gets a larger threshold for the same reason: at Python's default (700) a
demo build spent ~1.4 s in ~2 000 collections, most of that in full ones over objects that live
until the end anyway (docs/decisions/performance.md).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from typing import NoReturn

YOUNG_GENERATION_THRESHOLD = 10_000  # allocations between collections; Python's default: 700


def tune_collector() -> None:
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)


def exit_code(exc: SystemExit) -> int:
    """The process's exit code for a SystemExit, as Python's own exit gives it (a text is
    printed on stderr and means 1)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def exit_now(code: int) -> NoReturn:
    """End the process as Python's shutdown begins it — wait for the threads that are not
    daemons, run the atexit handlers, flush — and skip the module clean-up that follows."""
    threading._shutdown()  # what Python's shutdown does first (joins non-daemon threads)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe has nothing left to flush
            stream.flush()
    os._exit(code)


def worker_exits_without_clean_up() -> None:
    """For a worker process (the GX process, the report processes), called first thing: once
    its work is done and multiprocessing has run its own finalizers (a semaphore a library made
    is unlinked there, or the resource tracker warns of a leak), Python's shutdown runs the
    atexit handlers and this one, registered first, runs last and ends the process with
    `os._exit(0)`, skipping the module clean-up (~0.3–0.5 s with GX or matplotlib loaded). A
    worker's outcome travels over its pipe, not its exit code."""
    atexit.register(os._exit, 0)
