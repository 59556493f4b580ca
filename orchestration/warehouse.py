"""A warehouse on disk: its DuckDB file, its Dagster instance beside it, and opening it for a build.

A warehouse `<name>.duckdb` has one companion folder `<name>.dagster/`: the Dagster instance
(DAGSTER_HOME) that `rummelig build`, `rummelig demo` and `rummelig dev` share — runs,
materialisations, check results, sensor cursors — and, in its `dbt/` sub-folder, dbt's artefacts
of the builds (manifest, run results, partial-parse state, dbt.log) and the build lock. While a
build runs, its build file `<name>.duckdb.new` lies beside the published file (orchestration/
publish.py); nothing else is written next to the user's database.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.errors import BuildError
from orchestration.publish import (
    build_file_of,
    build_lock,
    copy_published,
    os_problem,
    published_of,
    remove_build_files,
    swap_in,
)

DAGSTER_YAML = """\
# The Dagster instance of one Rummelig warehouse, written by rummelig (orchestration/warehouse.py).
telemetry:
  enabled: false
# No per-step capture of stdout/stderr (it starts two `tail` processes per step, ≈450 steps per
# build); the run's structured event log — every step, materialisation and check — is kept.
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
# Dagster's SQLite event log, with one connection per process instead of one per event
# (orchestration/instance.py).
event_log_storage:
  module: orchestration.instance
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {history}
"""


def dagster_home(database: Path) -> Path:
    """`<dir>/<name>.dagster` for `<dir>/<name>.duckdb` (and for its build file)."""
    database = published_of(Path(database).expanduser().resolve())
    return database.with_name(f"{database.stem}.dagster")


def dbt_target_path(database: Path) -> Path:
    """dbt's target folder for builds of this warehouse (inside its Dagster home)."""
    return dagster_home(database) / "dbt"


def ensure_dagster_home(database: Path) -> Path:
    """The warehouse's Dagster home with its dagster.yaml (telemetry off); created when missing."""
    home = dagster_home(database)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    wanted = DAGSTER_YAML.format(history=json.dumps(str(home / "history")))
    # rewritten when the folder moved; a dagster.yaml the user wrote is left alone
    if not config.exists() or (
        config.read_text(encoding="utf-8") != wanted
        and config.read_text(encoding="utf-8").startswith(DAGSTER_YAML.splitlines()[0])
    ):
        config.write_text(wanted, encoding="utf-8")
    return home


def dagster_instance(database: Path):
    """The persistent Dagster instance of this warehouse (what the UI of `rummelig dev` shows)."""
    from dagster import DagsterInstance

    return DagsterInstance.from_config(str(ensure_dagster_home(database)))


@dataclass
class WarehouseBuild:
    """One build of a warehouse: it writes `build_file`; `publish()` makes that the warehouse."""

    database: Path  # the published file: what reports, `rummelig dev` and the sensor read
    build_file: Path  # <name>.duckdb.new: where this build writes
    existed: bool  # a published warehouse was there before this build
    interrupted: bool = False  # an earlier build's build file was found and removed
    copy_seconds: float = 0.0  # copying the published file into the build file
    swap_seconds: float = 0.0  # checkpoint, flush and rename
    published: bool = False
    duckdb: dict | None = None  # the build's DuckDB settings (orchestration/limits.py)
    _copied: tuple[int, int] | None = field(default=None, repr=False)

    def publish(self) -> None:
        """Swap the build file in (atomic rename); the caller has seen ingest, dbt and every
        blocking check pass."""
        started = time.monotonic()
        swap_in(self.build_file, self.database, self._copied, self.duckdb)
        self.swap_seconds = time.monotonic() - started
        self.published = True


@contextmanager
def open_for_build(database: Path, duckdb: dict | None = None) -> Iterator[WarehouseBuild]:
    """The one place a build gets its warehouse file: the atomic publish.

    Takes the warehouse's build lock (one build at a time), removes what an interrupted build
    left (`<name>.duckdb.new`), copies the published file into the build file (a new warehouse
    starts empty) and yields the build. Only `WarehouseBuild.publish()` touches the published
    file; a build that ends without it — failed, raised, interrupted — leaves the published
    warehouse byte for byte as it was and its build file is removed. Problems the user can fix
    raise BuildError, a full disk WarehouseIOError, each one Danish line naming the file.
    `duckdb`: the build's DuckDB settings, for the connections the copy and the swap open.
    """
    database = Path(database).expanduser().resolve()
    if database.is_dir():
        raise BuildError(
            f"{database} er en mappe; --database skal være en fil (fx rummelig.duckdb)."
        )
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        home = ensure_dagster_home(database)
    except OSError as exc:
        raise os_problem(database, exc) from exc
    build = WarehouseBuild(
        database=database,
        build_file=build_file_of(database),
        existed=database.exists(),
        duckdb=duckdb,
    )
    with build_lock(database, home):
        build.interrupted = remove_build_files(build.build_file)
        started = time.monotonic()
        if build.existed:
            build._copied = copy_published(database, build.build_file, duckdb)
        build.copy_seconds = time.monotonic() - started
        try:
            yield build
        finally:
            if not build.published:
                remove_build_files(build.build_file)
