"""Resources, defined once: the warehouse (dagster-duckdb), the landing folder with the build's
reference date, the report folder, and dbt (orchestration/project.py).

The CLI builds them with explicit values (`build_resources`); `dagster dev` reads them from the
environment (`resources_from_env`): RUMMELIG_DATABASE, RUMMELIG_INPUT, RUMMELIG_AS_OF (optional,
default today), RUMMELIG_CONFIG (optional rules.yml), RUMMELIG_REPORTS (optional, default
`reports/` beside the database), RUMMELIG_MEMORY_LIMIT and RUMMELIG_THREADS (optional,
orchestration/limits.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar
from dagster_duckdb import DuckDBResource

from orchestration.limits import Limits, duckdb_settings, resolve
from orchestration.project import dbt_cli


@contextmanager
def connect(warehouse: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    """`warehouse.get_connection()`, closed also when the body raises: dagster-duckdb closes it
    only on success, and a connection left open keeps the file from dbt and from the summary."""
    with warehouse.get_connection() as conn:
        try:
            yield conn
        finally:
            conn.close()


class LandingResource(ConfigurableResource):
    """The landing folder a build reads, its rules file and the build's reference date."""

    folder: str
    as_of: str = ""  # ISO date; empty = today
    rules_file: str = ""  # rules.yml override; empty = <folder>/config/rules.yml when present

    @property
    def path(self) -> Path:
        return Path(self.folder).expanduser().resolve()

    @property
    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of) if self.as_of else date.today()

    @property
    def rules_path(self) -> Path | None:
        return Path(self.rules_file).expanduser().resolve() if self.rules_file else None


class ReportsResource(ConfigurableResource):
    """Where the report assets write their HTML and XLSX files, and for which period."""

    folder: str
    period: str = ""  # 2025, 2025Q3, 2025-11; empty = the as_of year


def build_resources(
    database: Path,
    landing: Path,
    *,
    as_of: date,
    rules_file: Path | None = None,
    reports_dir: Path | None = None,
    limits: Limits | None = None,
) -> dict:
    """`limits` (orchestration/limits.py; default from the environment) become the DuckDB
    settings of every connection the resources open, and dbt's (orchestration/assets/dbt.py)."""
    database = Path(database).expanduser().resolve()
    settings = duckdb_settings(limits or resolve(), database)
    return {
        "warehouse": DuckDBResource(database=str(database), connection_config=settings),
        "landing": LandingResource(
            folder=str(landing), as_of=as_of.isoformat(), rules_file=str(rules_file or "")
        ),
        "reports": ReportsResource(folder=str(reports_dir or database.parent / "reports")),
        "dbt": dbt_cli(),
    }


def resources_from_env() -> dict:
    database = os.environ.get("RUMMELIG_DATABASE", "rummelig.duckdb")
    default_reports = Path(database).expanduser().resolve().parent / "reports"
    settings = duckdb_settings(resolve(), Path(database))  # RUMMELIG_MEMORY_LIMIT/_THREADS
    return {
        "warehouse": DuckDBResource(
            database=EnvVar("RUMMELIG_DATABASE"), connection_config=settings
        ),
        "landing": LandingResource(
            folder=EnvVar("RUMMELIG_INPUT"),
            as_of=os.environ.get("RUMMELIG_AS_OF", ""),
            rules_file=os.environ.get("RUMMELIG_CONFIG", ""),
        ),
        "reports": ReportsResource(folder=os.environ.get("RUMMELIG_REPORTS", str(default_reports))),
        "dbt": dbt_cli(),
    }
