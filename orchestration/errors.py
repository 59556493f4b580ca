"""Errors the CLI shows as one Danish line (kept free of heavy imports: the CLI catches them
before Dagster is loaded)."""


class BuildError(RuntimeError):
    """A problem the user can fix (missing folder, bad date, bad landing folder): exit 2."""


class DbtPrepareError(RuntimeError):
    """`dbt parse` failed: the dbt project itself is broken (dbt's message is attached)."""
