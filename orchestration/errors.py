"""Errors the CLI shows as one Danish line (kept free of heavy imports: the CLI catches them
before Dagster is loaded)."""

from __future__ import annotations

from pathlib import Path

# How DuckDB and the OS word a full disk (ENOSPC, EFBIG, EDQUOT) in an error's text.
DISK_FULL_TEXTS = ("No space left", "File too large", "Disk quota")


class BuildError(RuntimeError):
    """A problem the user can fix (missing folder, bad date, bad landing folder, a warehouse
    locked by another process or not a DuckDB file, a read-only folder): exit 2."""


class WarehouseIOError(RuntimeError):
    """The warehouse could not be written (a full disk, an I/O error): the build failed, the
    published warehouse is unchanged; exit 1."""


class DbtPrepareError(RuntimeError):
    """`dbt parse` failed: the dbt project itself is broken (dbt's message is attached)."""


def is_disk_full(text: str) -> bool:
    return any(words in text for words in DISK_FULL_TEXTS)


def disk_full(folder: Path) -> WarehouseIOError:
    """The one line for a full disk, whichever step or file met it (docs/cli.md)."""
    return WarehouseIOError(
        f"Der er ikke plads på disken til datavarehuset i {folder}: frigør plads og byg igen."
    )
