"""Test helpers: an empty warehouse (raw schema + default rules) and dbt builds on it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from ingest.raw_schema import create_raw_schema
from ingest.rules import load_rules
from orchestration.dbt_invocation import DbtOutcome, run_dbt


def empty_warehouse(path: Path, config_path: Path | None = None) -> Path:
    """A DuckDB file with every raw/audit table empty and the default rules loaded."""
    with duckdb.connect(str(path)) as conn:
        create_raw_schema(conn)
        load_rules(conn, config_path)
    return path


def dbt_build(
    database: Path, as_of: date, select: list[str] | None = None, raise_on_failure: bool = True
) -> DbtOutcome:
    return run_dbt(
        "build", database=database, as_of=as_of, select=select, raise_on_failure=raise_on_failure
    )


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()
