"""A warehouse on disk: its DuckDB file, its Dagster instance beside it, and opening it for a build.

A warehouse `<name>.duckdb` has one companion folder `<name>.dagster/`: the Dagster instance
(DAGSTER_HOME) that `rummelig build`, `rummelig demo` and `rummelig dev` share — runs,
materialisations, check results, sensor cursors — and, in its `dbt/` sub-folder, dbt's artefacts
of the builds (manifest, run results, partial-parse state, dbt.log). Nothing else is written next
to the user's database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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
    """`<dir>/<name>.dagster` for `<dir>/<name>.duckdb`."""
    database = Path(database).expanduser().resolve()
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
    database: Path
    existed: bool  # the file was there before this build
    succeeded: bool = False  # set by the caller when the build went through


@contextmanager
def open_for_build(database: Path) -> Iterator[WarehouseBuild]:
    """The one place a build gets its warehouse file.

    A build that fails on a warehouse that did not exist before leaves no file behind (no empty
    or half-written `.duckdb`); the Dagster home stays, with the failed run in its history.
    """
    database = Path(database).expanduser().resolve()
    build = WarehouseBuild(database=database, existed=database.exists())
    database.parent.mkdir(parents=True, exist_ok=True)
    ensure_dagster_home(database)
    try:
        yield build
    finally:
        if not build.succeeded and not build.existed:
            for path in (database, database.with_name(database.name + ".wal")):
                path.unlink(missing_ok=True)
