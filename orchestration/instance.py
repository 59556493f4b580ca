"""The run history's storage: Dagster's own SQLite event log, with one connection kept open.

Dagster's SQLite storages open a new engine and connection for every event they store (2–3 per
asset or check event) and SQLite syncs the disk at every commit; a build stores ≈1 500 events, so
that cost more than the build itself; before every asset-check event it also asks, on yet another
new engine, whether the check table exists. This subclass of Dagster's consolidated SQLite event
log keeps one engine (a single pooled connection per thread) and sets `synchronous=NORMAL`, which
in WAL mode keeps the file consistent and skips the per-commit sync (a power cut may lose the
last events, never corrupt the history), and remembers which tables exist (`RemembersTables`).
Everything else — schema, migrations, queries, the webserver and daemon reading it — is
Dagster's. Configured in the warehouse's dagster.yaml (orchestration/warehouse.py).

The build's own run goes first to a scratch instance in memory (orchestration/build.py,
orchestration/history.py); its event log has the same fault in Dagster's in-memory storage and
the same cure (`scratch_instance`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from dagster import DagsterInstance
from dagster._core.storage.event_log import (
    ConsolidatedSqliteEventLogStorage,
    InMemoryEventLogStorage,
)
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import SingletonThreadPool

SQLITE_BUSY_TIMEOUT_SECONDS = 30


class RemembersTables:
    """Dagster asks an event log before every asset-check event whether the check table exists,
    each time on a new connection (a third of the event log's time in a build); a table, once
    there, stays, so each is looked up until it is found. Mixed in before Dagster's storage."""

    def has_table(self, table_name: str) -> bool:
        known = self.__dict__.setdefault("_tables_present", set())
        if table_name not in known and self._look_up_table(table_name):
            known.add(table_name)
        return table_name in known

    def _look_up_table(self, table_name: str) -> bool:
        return super().has_table(table_name)  # the storage mixed with: Dagster's own look-up


class PooledSqliteEventLogStorage(RemembersTables, ConsolidatedSqliteEventLogStorage):
    """ConsolidatedSqliteEventLogStorage with one engine for the process's lifetime."""

    _engine_lock = threading.Lock()

    def _pooled_engine(self) -> Engine:
        with self._engine_lock:
            engine = getattr(self, "_shared_engine", None)
            if engine is None:
                engine = create_engine(
                    self._conn_string,
                    poolclass=SingletonThreadPool,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                event.listen(engine, "connect", _no_sync_per_commit)
                self._shared_engine = engine
            return engine

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        with self._pooled_engine().connect() as conn, conn.begin():
            yield conn

    def _look_up_table(self, table_name: str) -> bool:
        with self._pooled_engine().connect() as conn:
            return bool(conn.dialect.has_table(conn, table_name))


def _no_sync_per_commit(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class HeldConnectionEventLogStorage(RemembersTables, InMemoryEventLogStorage):
    """The event log of a build's scratch run: Dagster's in-memory SQLite, on the one connection
    the storage already holds. Dagster's own opens a connection (and sets two pragmas) for each
    of the several statements of an event and once more to ask whether a table exists: at the
    demo's size most of the build's own Python time while dbt runs. Other threads, which SQLite
    does not let use that connection, get Dagster's own behaviour."""

    def __init__(self) -> None:
        super().__init__()
        self._owner = threading.get_ident()
        self._held_conn.exec_driver_sql("PRAGMA foreign_keys=ON")  # as Dagster's connections
        self._held_conn.commit()

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        if threading.get_ident() != self._owner:
            with super()._connect() as conn:
                yield conn
            return
        with self._db_lock, self._held_conn.begin():
            yield self._held_conn


def scratch_instance() -> DagsterInstance:
    """What `DagsterInstance.ephemeral()` builds, with the event log above."""
    from dagster._core.instance import InstanceType
    from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
    from dagster._core.run_coordinator import DefaultRunCoordinator
    from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
    from dagster._core.storage.root import TemporaryLocalArtifactStorage
    from dagster._core.storage.runs import InMemoryRunStorage

    return DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=HeldConnectionEventLogStorage(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )
