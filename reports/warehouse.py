"""Reading the warehouse: the few helpers every report module uses to query DuckDB."""

from __future__ import annotations

from typing import Any

import duckdb


def records(
    conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None
) -> list[dict[str, Any]]:
    """The rows of `sql` as dicts (column name → value)."""
    cur = conn.execute(sql, params or [])
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def table_exists(conn: duckdb.DuckDBPyConnection, relation: str) -> bool:
    """Whether "schema.name" exists (a table or a view)."""
    schema, name = relation.split(".", 1)
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? "
            "and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )
