"""Resources, defined once: the warehouse (DuckDB file, landing folder, as_of) and dbt.

The build's settings travel as resource config, not as globals: the CLI builds the resources with
explicit values; `dagster dev` reads them from environment variables (RUMMELIG_DATABASE,
RUMMELIG_INPUT, RUMMELIG_AS_OF, RUMMELIG_CONFIG). dbt itself reads the database path from
RUMMELIG_DATABASE (dbt_project/profiles.yml), so the dbt asset sets that variable from this
resource right before it starts dbt.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import duckdb
from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource

from orchestration.dbt_invocation import DBT_PROJECT_DIR


class WarehouseResource(ConfigurableResource):
    """One DuckDB file and the landing folder it is built from. One writer at a time."""

    database: str
    input_dir: str
    as_of: str = ""  # ISO date; empty = today
    config_path: str = ""  # rules.yml override; empty = <input>/config/rules.yml when present
    echo_dbt_logs: bool = True  # dagster-dbt echoes every dbt log line; the CLI prints its own

    @property
    def database_path(self) -> Path:
        return Path(self.database).expanduser().resolve()

    @property
    def input_path(self) -> Path:
        return Path(self.input_dir).expanduser().resolve()

    @property
    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of) if self.as_of else date.today()

    @property
    def rules_path(self) -> Path | None:
        return Path(self.config_path).expanduser().resolve() if self.config_path else None

    @property
    def dbt_target_path(self) -> Path:
        """Beside the database, as orchestration.dbt_invocation.run_dbt does (partial parsing)."""
        return self.database_path.parent / f"{self.database_path.stem}_dbt_target"

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        self.database_path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(self.database_path), read_only=read_only)


def dbt_executable() -> str:
    """The dbt of this interpreter's environment, also when .venv/bin is not on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=str(DBT_PROJECT_DIR),
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=dbt_executable(),
        global_config_flags=["--no-use-colors"],
    )
