"""Errors the CLI shows as one Danish line (kept free of heavy imports: the CLI catches them
before Dagster is loaded)."""

from __future__ import annotations

from pathlib import Path

# How DuckDB and the OS word a full disk (ENOSPC, EFBIG, EDQUOT) in an error's text. DuckDB also
# stops spilling before its temporary files fill the disk (its max_temp_directory_size, by
# default 90 % of the free space) and says so in an "Out of Memory Error" naming that setting.
DISK_FULL_TEXTS = ("No space left", "File too large", "Disk quota", "max_temp_directory_size")
# How DuckDB words a query that needed more than its memory limit and could not spill.
OUT_OF_MEMORY_TEXT = "Out of Memory Error"


class BuildError(RuntimeError):
    """A problem the user can fix (missing folder, bad date, bad landing folder, a warehouse
    locked by another process or not a DuckDB file, a read-only folder): exit 2."""


class WarehouseIOError(RuntimeError):
    """The warehouse could not be written (a full disk, an I/O error): the build failed, the
    published warehouse is unchanged; exit 1."""


class BuildResourceError(RuntimeError):
    """The build did not fit in its memory budget: the published warehouse is unchanged; exit 1
    (the user may give it more memory or fewer threads)."""


class DbtPrepareError(RuntimeError):
    """`dbt parse` failed: the dbt project itself is broken (dbt's message is attached)."""


def is_disk_full(text: str) -> bool:
    return any(words in text for words in DISK_FULL_TEXTS)


def disk_full(folder: Path) -> WarehouseIOError:
    """The one line for a full disk, whichever step or file met it (docs/cli.md)."""
    return WarehouseIOError(
        f"Der er ikke plads på disken til datavarehuset i {folder}: frigør plads og byg igen."
    )


def is_out_of_memory(text: str) -> bool:
    return OUT_OF_MEMORY_TEXT in text


def out_of_memory(limits: str) -> BuildResourceError:
    """The one line for a build that did not fit in its memory budget (docs/cli.md); `limits`
    is the budget as the build's first line says it."""
    return BuildResourceError(
        f"Bygget kunne ikke være i sin hukommelse ({limits}): byg igen med en større "
        "--memory-limit eller færre --threads."
    )
