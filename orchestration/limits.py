"""The build's memory and thread budget, and the DuckDB settings every connection of a build gets.

A build must not take the whole machine: a municipal server or an analyst's laptop runs other work.
`--memory-limit` (else RUMMELIG_MEMORY_LIMIT, else `build: {memory_limit: …}` in config/rules.yml)
is the budget of the whole build — every process it starts — and defaults to the smaller of 4 GB
and half the machine's memory. DuckDB gets a share of it (`DUCKDB_SHARE`) as its `memory_limit`,
in every connection the build opens: ingest, dbt (through the var `duckdb`, profiles.yml), the
Great Expectations checks, the reports and the summary; the rest is for the Python processes
themselves (at national size ≈ 1 GiB for Dagster with polars, pandas and GX, ≈ 0.5 GiB for dbt's
Python, and DuckDB's own overshoot of its limit). What does
not fit in DuckDB's share spills to `temp_directory`, a folder beside the warehouse file.
`--threads` (else RUMMELIG_THREADS, else rules.yml's `build.threads`; default: the machine's
cores) caps DuckDB's threads, dbt's parallel models and polars' thread pool.
docs/performance.md has the measurements behind the share.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GIB = 1 << 30
MIB = 1 << 20
GB = 10**9
DEFAULT_CAP = 4 * GB  # the "4 GB": peak RSS of a national build stays below it
MIN_MEMORY = 1 * GIB  # below this the Python processes alone do not fit (rules_schema too)
DUCKDB_SHARE = 0.55  # measured: a national build peaks at DuckDB's limit + ≈ 1.4 GiB
MAX_DBT_THREADS = 4  # dbt's parallel models share DuckDB's memory: more buys little here
# Above this many raw register rows per GiB of DuckDB's memory dbt builds one model at a time
# (`dbt_threads`); measured in docs/performance.md.
PARALLEL_MODELS_MAX_ROWS_PER_GIB = 1_000_000
MEMORY_ENV = "RUMMELIG_MEMORY_LIMIT"
THREADS_ENV = "RUMMELIG_THREADS"


class LimitError(ValueError):
    """A limit the user gave that cannot be used (Danish message, one line)."""


def parse_size(text: str, *, source: str = "--memory-limit") -> int:
    """'4GB', '4 GiB', '3500MB', '4g' → bytes (GB = 10⁹ like DuckDB, GiB = 2³⁰); the grammar
    is rules.yml's (ingest/rules_schema.py), so the option, the environment and the file agree."""
    from ingest.rules_schema import memory_bytes

    try:
        return memory_bytes(text)
    except ValueError as exc:
        raise LimitError(f"{source}: {exc}") from None


def parse_threads(value: str | int, *, source: str = "--threads") -> int:
    try:
        threads = int(value)
    except (TypeError, ValueError):
        threads = 0
    if threads < 1:
        raise LimitError(f"{source}: {value!r} skal være et helt tal på mindst 1")
    return threads


def machine_memory() -> int:
    """Physical memory, or the container's limit (cgroup v2/v1) when that is smaller."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def machine_threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Limits:
    memory: int  # bytes: the whole build (all its processes)
    threads: int

    @property
    def duckdb_memory(self) -> int:
        return int(self.memory * DUCKDB_SHARE)

    def describe(self) -> str:
        """For the build's first line: 'hukommelse 4,0 GB (DuckDB 2,2 GB), 2 tråde'."""
        from orchestration.text import number

        return (
            f"hukommelse {number(round(self.memory / GB, 1))} GB "
            f"(DuckDB {number(round(self.duckdb_memory / GB, 1))} GB), "
            f"{number(self.threads)} {'tråd' if self.threads == 1 else 'tråde'}"
        )


def resolve(
    memory: str | None = None,
    threads: str | int | None = None,
    environ=None,
    configured=None,
) -> Limits:
    """The build's limits, each from the first that gives it: the option, the environment,
    the rules file (`configured`: rules.yml's `build` group), the default."""
    environ = os.environ if environ is None else environ
    memory_rule = getattr(configured, "memory_limit", None)
    threads_rule = getattr(configured, "threads", None)
    if memory is not None:
        size = parse_size(memory)
    elif environ.get(MEMORY_ENV, "").strip():
        size = parse_size(environ[MEMORY_ENV], source=MEMORY_ENV)
    elif memory_rule is not None:
        size = parse_size(memory_rule, source="rules.yml build.memory_limit")
    else:
        size = max(MIN_MEMORY, min(DEFAULT_CAP, machine_memory() // 2))
    if threads is not None:
        count = parse_threads(threads)
    elif environ.get(THREADS_ENV, "").strip():
        count = parse_threads(environ[THREADS_ENV], source=THREADS_ENV)
    elif threads_rule is not None:
        count = parse_threads(threads_rule, source="rules.yml build.threads")
    else:
        count = machine_threads()
    return Limits(memory=size, threads=count)


def for_build(rules_file: Path | None, memory: str | None = None, threads=None) -> Limits:
    """`resolve` with the build's rules file (the defaults' when it does not exist); a rules
    file the user must fix raises ingest's RulesError, as the build's own check does."""
    from ingest.rules import merged_rules

    rules = merged_rules(rules_file if rules_file and Path(rules_file).is_file() else None)
    return resolve(memory, threads, configured=rules.build)


def temp_directory(database: Path) -> Path:
    """Where DuckDB spills what does not fit in memory: `<file>.tmp` beside the file. A build's
    file `<name>.duckdb.new` spills into `<name>.duckdb.new.tmp`, which is the build's own: it
    is removed with the build file (also what a killed build left, by the next build), while
    readers of the published file (reports, `rummelig dev`) spill into `<name>.duckdb.tmp`."""
    database = Path(database).expanduser().resolve()
    return database.with_name(database.name + ".tmp")


def duckdb_settings(limits: Limits, database: Path) -> dict[str, str]:
    """DuckDB configuration for a connection of this build (duckdb.connect(config=…))."""
    return {
        "memory_limit": f"{limits.duckdb_memory // MIB}MiB",
        "threads": str(limits.threads),
        "temp_directory": str(temp_directory(database)),
    }


def dbt_threads(settings: dict[str, str], raw_rows: int) -> int:
    """How many models dbt builds at once on a warehouse with `raw_rows` rows in its registers,
    under the DuckDB `settings` of the build (duckdb_settings). Parallel models share DuckDB's
    memory: with large registers two big models together can need more than its limit (at
    1 000 000 employees `int_sick_days_365` beside `int_absence_period_hours` ran out of memory,
    now and then, with the default limit), and each model already uses every DuckDB thread, so
    one model at a time is then as fast. Small registers keep dbt's per-model overhead (~20 ms)
    overlapped with the other model's work."""
    threads = min(int(settings.get("threads", 1)), MAX_DBT_THREADS)
    memory = settings.get("memory_limit")
    if memory is None:
        return threads
    if raw_rows > PARALLEL_MODELS_MAX_ROWS_PER_GIB * parse_size(memory) / GIB:
        return 1
    return threads


def shared(settings: dict[str, str], ways: int) -> dict[str, str]:
    """The settings of one of `ways` connections open at once (e.g. the report processes): each
    gets its share of the memory limit and of the threads, so together they stay inside them."""
    share = dict(settings)
    if "memory_limit" in share:
        share["memory_limit"] = f"{parse_size(share['memory_limit']) // ways // MIB}MiB"
    if "threads" in share:
        share["threads"] = str(max(1, int(share["threads"]) // ways))
    return share
