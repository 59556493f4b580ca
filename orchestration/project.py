"""The dbt project as Dagster knows it (`DbtProject`) and the one way dbt runs (`DbtCliResource`).

`@dbt_assets` reads dbt_project/target/manifest.json when orchestration.definitions is imported,
so a build prepares it first (`prepare_manifest`). A build's own dbt artefacts go to the
warehouse's target folder (orchestration.warehouse.dbt_target_path); the preparing `dbt parse`
runs there with the build's own vars and database, so the `dbt build` that follows re-uses that
parse (dbt's partial parsing) instead of parsing the project a second time.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from datetime import date
from functools import cached_property
from importlib.metadata import version as package_version
from pathlib import Path

from dagster._utils import run_with_concurrent_update_guard
from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from orchestration.errors import DbtPrepareError

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

# Not `prepare_if_dev()`: it would re-parse into the manifest that other processes (test
# workers) read, without the atomic swap; `rummelig dev` prepares the manifest before it starts.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

# Folders whose files make up the project (a change in any of them needs a new manifest).
_PROJECT_FOLDERS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


def dbt_vars(as_of: date, database: Path, duckdb: dict[str, str] | None = None) -> str:
    """The build's dbt vars: its reference date, its DuckDB file and that file's DuckDB settings
    (memory limit, threads, spill folder: orchestration/limits.py; default from the
    environment), which profiles.yml passes to DuckDB when dbt opens the file.

    The same vars every time for the same file and limits: dbt re-parses the whole project when
    its vars change."""
    if duckdb is None:
        from orchestration.limits import duckdb_settings, resolve

        duckdb = duckdb_settings(resolve(), database)
    values = {"as_of": as_of.isoformat(), "database": str(database), "duckdb": duckdb}
    return json.dumps(values, sort_keys=True)


# The dbt executable of this environment; dbt_cli() falls back to the one on PATH. dagster-dbt
# starts `rummelig-dbt` (orchestration/dbt_client.py): in a build, it runs the command in the
# dbt process started for it (orchestration/warm_dbt.py), and otherwise becomes ENV_DBT.
ENV_DBT = Path(sys.executable).with_name("dbt")
ENV_DBT_CLIENT = Path(sys.executable).with_name("rummelig-dbt")


class EnvDbtCliResource(DbtCliResource):
    """dagster-dbt's DbtCliResource for the dbt Core of this environment, without two costs that
    every invocation pays before dbt starts and that this project has no use for (~3 s of a
    ~25 s demo build; docs/decisions/performance.md):

    - `dbt --version` in a subprocess, only to tell dbt Core from the Fusion engine: it imports
      all of dbt (~1.5 s). The installed dbt-core's package metadata says the same.
    - a dbt adapter built inside this process (~1.3 s, it imports dbt here too), which dagster-dbt
      needs only for `fetch_column_metadata`/`fetch_row_counts`; no asset here calls them.

    Both are hooks of the dagster-dbt version pinned in uv.lock; tests/orchestration/
    test_dbt_resource.py fails if an upgrade renames them.
    """

    @cached_property
    def _cli_version(self) -> Version:
        if Path(self.dbt_executable) not in (ENV_DBT, ENV_DBT_CLIENT):  # ask another dbt
            return super()._cli_version
        return Version(package_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt's signature
        return None


def dbt_global_flags() -> list[str]:
    """Colours off, and dbt's file log (`<warehouse>.dagster/dbt/dbt.log`) for warnings and
    errors only: the progress of every node is in the run's Dagster history and
    run_results.json already, and writing it again cost ~0.6 s of a demo build (at debug,
    ~10 MB of every query's text)."""
    return ["--no-use-colors", "--log-level-file", "warn"]


def dbt_cli() -> DbtCliResource:
    """The dbt of this environment (also when .venv/bin is not on PATH), through `rummelig-dbt`
    where it is installed."""
    executable = next((p for p in (ENV_DBT_CLIENT, ENV_DBT) if p.exists()), None)
    return EnvDbtCliResource(
        project_dir=dbt_project,
        dbt_executable=str(executable or "dbt"),
        global_config_flags=dbt_global_flags(),
    )


def _newest_project_file() -> float:
    paths = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in _PROJECT_FOLDERS:
        paths += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def manifest_is_current() -> bool:
    manifest = dbt_project.manifest_path
    return manifest.exists() and manifest.stat().st_mtime >= _newest_project_file()


def prepare_manifest(
    *, as_of: date, database: Path, target_path: Path, duckdb: dict[str, str] | None = None
) -> bool:
    """Parse the project when it changed since the manifest was written; True when it parsed.

    The parse runs in the build's target folder with the build's vars, so that build re-uses it;
    the manifest is then swapped in atomically for `@dbt_assets` (a reader never sees half a
    file). Dagster's concurrent-update guard serialises parallel builds and test workers: one
    parses, the others find the manifest fresh and go on.
    """
    if manifest_is_current():
        return False
    parsed = []

    def parse() -> None:
        target_path.mkdir(parents=True, exist_ok=True)
        invocation = dbt_cli().cli(
            ["parse", "--quiet", "--vars", dbt_vars(as_of, database, duckdb)],
            target_path=target_path,
            raise_on_error=False,
        )
        with contextlib.redirect_stdout(io.StringIO()) as output:  # dagster-dbt echoes dbt
            invocation.wait()
        if not invocation.is_successful():
            raise DbtPrepareError(f"dbt parse fejlede: {output.getvalue().strip()}")
        staged = dbt_project.manifest_path.with_suffix(f".{os.getpid()}.json")
        shutil.copyfile(target_path / "manifest.json", staged)
        os.replace(staged, dbt_project.manifest_path)
        parsed.append(True)

    dbt_project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
    run_with_concurrent_update_guard(dbt_project.manifest_path, parse)
    return bool(parsed)
