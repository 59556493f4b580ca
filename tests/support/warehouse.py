"""Test helpers: an empty warehouse (raw schema + default rules), and dbt on it the one way the
product runs dbt (orchestration.project's DbtCliResource, the build's vars and target folder)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from ingest.raw_schema import create_raw_schema
from ingest.rules import load_rules
from orchestration.assets.dbt import failed_nodes
from orchestration.project import dbt_cli, dbt_vars
from orchestration.warehouse import dbt_target_path


class DbtError(RuntimeError):
    """dbt failed; the message lists the failing nodes."""


@dataclass(frozen=True)
class DbtOutcome:
    success: bool
    failures: list[str]  # "unique_id: status — message" for every error/fail
    results: list[tuple[str, str]]  # (unique_id, status) of every node dbt ran
    log: str = ""  # the end of dbt's log when it failed before running nodes


def empty_warehouse(path: Path, config_path: Path | None = None) -> Path:
    """A DuckDB file with every raw/audit table empty and the default rules loaded."""
    with duckdb.connect(str(path)) as conn:
        create_raw_schema(conn)
        load_rules(conn, config_path)
    return path


def run_dbt(
    command: str,
    *,
    database: Path,
    as_of: date,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    target_path: Path | None = None,
    extra: Sequence[str] = (),
    raise_on_failure: bool = True,
) -> DbtOutcome:
    """`dbt <command>` on `database` for `as_of`, as the product's dbt asset runs it."""
    database = Path(database).resolve()
    args = [command, "--vars", dbt_vars(as_of, database)]
    if select:
        args += ["--select", " ".join(select)]  # one value: dagster-dbt reads one
    if exclude:
        args += ["--exclude", " ".join(exclude)]
    args += list(extra)
    invocation = dbt_cli().cli(
        args, target_path=target_path or dbt_target_path(database), raise_on_error=False
    )
    with contextlib.redirect_stdout(io.StringIO()) as log:  # dagster-dbt echoes every line
        invocation.wait()
    try:
        run_results = invocation.get_artifact("run_results.json")
    except (OSError, ValueError):  # dbt stopped before running anything
        run_results = {"results": []}
    failures = failed_nodes(run_results)
    outcome = DbtOutcome(
        success=invocation.is_successful(),
        failures=failures,
        results=[(r["unique_id"], r["status"]) for r in run_results.get("results", [])],
        log="" if invocation.is_successful() else log.getvalue()[-3000:],
    )
    if raise_on_failure and not outcome.success:
        detail = "\n".join(failures) or outcome.log
        raise DbtError(f"dbt {command} failed:\n{detail}")
    return outcome


def dbt_build(
    database: Path, as_of: date, select: list[str] | None = None, raise_on_failure: bool = True
) -> DbtOutcome:
    return run_dbt(
        "build", database=database, as_of=as_of, select=select, raise_on_failure=raise_on_failure
    )


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()
