"""Errors the CLI shows as one Danish line (kept free of heavy imports: the CLI catches them
before Dagster is loaded)."""


class BuildError(RuntimeError):
    """A problem the user can fix (missing folder, bad date, bad landing folder, a warehouse
    locked by another process or not a DuckDB file, a read-only folder): exit 2."""


class WarehouseIOError(RuntimeError):
    """The warehouse could not be written (a full disk, an I/O error): the build failed, the
    published warehouse is unchanged; exit 1."""


class DbtPrepareError(RuntimeError):
    """`dbt parse` failed: the dbt project itself is broken (dbt's message is attached)."""
