"""The file mechanics of the atomic publish: the build lock, the checks of the published file, the
copy into the build file and the swap (docs/decisions/publish.md).

A build never writes the published warehouse `<name>.duckdb`: it copies it to the build file
`<name>.duckdb.new` (a fixed name, so dbt's partial parse of the build's vars stays valid),
builds there, and `publish` renames the build file over the published one when ingest, dbt and
the blocking checks are green. rename(2) within one folder is atomic: a reader, or a build killed
at any moment, sees the old file or the new one, never a mix. Every problem a user can fix ends
in a `BuildError` (one Danish line, exit 2); a full disk or another I/O error in a
`WarehouseIOError` (exit 1). Both name the file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from shutil import rmtree  # by name: tests replace the module's `shutil` to fail its copy

import duckdb

from orchestration.errors import BuildError, WarehouseIOError, disk_full, is_disk_full

BUILD_SUFFIX = ".new"
LOCK_NAME = "build.lock"  # in the warehouse's Dagster home: nothing else beside the user's file
_PID = re.compile(r"\(PID (\d+)\)")
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def build_file_of(database: Path) -> Path:
    """`<name>.duckdb.new` beside `<name>.duckdb`."""
    return database.with_name(database.name + BUILD_SUFFIX)


def published_of(path: Path) -> Path:
    """The published file a path belongs to (the build file maps to its published file)."""
    path = Path(path)
    return path.with_name(path.name.removesuffix(BUILD_SUFFIX)) if is_build_file(path) else path


def is_build_file(path: Path) -> bool:
    return Path(path).name.endswith(".duckdb" + BUILD_SUFFIX)


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def os_problem(path: Path, exc: OSError) -> Exception:
    """A Danish one-line error for an OSError on `path`: exit 2 when the user can fix it by
    pointing elsewhere (permissions, a read-only folder), exit 1 for a full disk or I/O error."""
    reason = exc.strerror or str(exc)
    if exc.errno in _DISK_FULL:
        return WarehouseIOError(
            f"Der er ikke plads på disken til {path} ({reason}): frigør plads i {path.parent}"
            " og byg igen."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BuildError(
            f"Mappen {path.parent} er skrivebeskyttet: {path.name} kan ikke skrives der"
            f" ({reason}); vælg en anden --database eller giv skriveadgang."
        )
    return WarehouseIOError(f"{path} kan ikke skrives ({reason}).")


def duckdb_problem(path: Path, exc: duckdb.Error) -> Exception:
    """A Danish one-line error for DuckDB refusing to open `path`."""
    text = str(exc)
    if "Could not set lock" in text or "Conflicting lock" in text:
        pid = _PID.search(text)
        who = f" (pid {pid.group(1)})" if pid else ""
        return BuildError(
            f"Datavarehuset {path} er låst af en anden proces{who}: luk den (fx et åbent"
            " DuckDB- eller DBeaver-vindue) og prøv igen."
        )
    if "not a valid DuckDB database" in text:
        return BuildError(
            f"{path} er ikke en DuckDB-database: angiv datavarehuset med --database (til et"
            " nyt byg: en fil, der ikke findes endnu) eller flyt filen væk."
        )
    if isinstance(exc, duckdb.CatalogException):
        return BuildError(
            f"Datavarehuset {path} mangler en tabel ({text.strip().splitlines()[0]}): byg det"
            " igen med rummelig build."
        )
    if is_disk_full(text):
        return disk_full(path.parent)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return WarehouseIOError(f"Datavarehuset {path} kan ikke læses ({first}).")


@contextlib.contextmanager
def build_lock(database: Path, home: Path) -> Iterator[None]:
    """One build at a time per warehouse: an exclusive flock on `<home>/build.lock`, released by
    the kernel when the process ends (also on kill -9), so a lock is never stale."""
    path = home / LOCK_NAME
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise os_problem(path, exc) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise BuildError(
                f"Datavarehuset {database} bygges allerede af en anden proces{who}: vent, til"
                " det byg er færdigt, og byg så igen."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def reading(path: Path, config: dict | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to a published warehouse: DuckDB's shared lock keeps writers out
    while it is open. Refusals become one Danish line. `config`: the build's DuckDB settings
    (orchestration/limits.py)."""
    try:
        conn = duckdb.connect(str(path), read_only=True, config=config or {})
    except duckdb.Error as exc:
        raise duckdb_problem(path, exc) from exc
    try:
        yield conn
    finally:
        conn.close()


def checkpoint_wal(path: Path, config: dict | None = None) -> None:
    """Fold a write-ahead log left beside `path` into the file (DuckDB's own recovery: the
    committed content does not change), so the file alone is the whole warehouse."""
    if not wal_of(path).exists():
        return
    try:
        with duckdb.connect(str(path), config=config or {}) as conn:
            conn.execute("CHECKPOINT")
    except duckdb.Error as exc:
        raise duckdb_problem(path, exc) from exc


def remove_build_files(build_file: Path) -> bool:
    """Remove a build file, its WAL and its spill folder (`<build file>.tmp`, DuckDB's
    temp_directory: a killed build's spill can be tens of GB); True when there was a build file
    or WAL to remove."""
    found = False
    for path in (build_file, wal_of(build_file)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            found = True
    rmtree(build_file.with_name(build_file.name + ".tmp"), ignore_errors=True)
    return found


def copy_published(database: Path, build_file: Path, config: dict | None = None) -> tuple[int, int]:
    """Copy the published file to the build file while holding a shared lock on it (no writer
    can change it mid-copy). Returns the published file's (size, mtime_ns) at the copy."""
    checkpoint_wal(database, config)
    with reading(database, config):
        stat = database.stat()
        try:
            shutil.copyfile(database, build_file)  # copy_file_range/sendfile: in the kernel
        except OSError as exc:
            remove_build_files(build_file)
            raise os_problem(build_file, exc) from exc
    return stat.st_size, stat.st_mtime_ns


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(
    build_file: Path, database: Path, copied: tuple[int, int] | None, config: dict | None = None
) -> None:
    """Make the build file the published warehouse: checkpoint it (no WAL may stay behind: the
    WAL is not renamed with the file), flush it to disk, check that nobody changed or locked the
    published file meanwhile, then rename it over the published file and flush the folder."""
    checkpoint_wal(build_file, config)
    if wal_of(build_file).exists():  # still there: a connection is open somewhere
        raise WarehouseIOError(f"{build_file} har stadig en åben forbindelse; intet er udgivet.")
    try:
        _fsync(build_file)
    except OSError as exc:
        raise os_problem(build_file, exc) from exc
    if copied is not None and database.exists():
        with reading(database, config):  # a writer holding it: refuse, the file stays
            stat = database.stat()
            if (stat.st_size, stat.st_mtime_ns) != copied or wal_of(database).exists():
                raise BuildError(
                    f"Datavarehuset {database} er ændret af en anden proces under bygget; det"
                    " nye byg er ikke udgivet. Byg igen."
                )
            _rename(build_file, database)
    else:
        _rename(build_file, database)


def _rename(build_file: Path, database: Path) -> None:
    try:
        os.replace(build_file, database)
        _fsync(database.parent, directory=True)
    except OSError as exc:
        raise os_problem(database, exc) from exc
