"""End-to-end helpers for the hand-made landing folders of tests/e2e: build one with the installed
`rummelig` console script (a separate process, as a user runs it) and read the result."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb


def build_landing(
    landing: Path, database: Path, as_of: date, secret: str
) -> subprocess.CompletedProcess:
    """`rummelig build` of `landing` into `database` with pseudonym key `secret`."""
    rummelig = Path(sys.executable).with_name("rummelig")
    args = [str(rummelig), "build", "--input", str(landing), "--database", str(database)]
    env = {**os.environ, "RUMMELIG_PSEUDONYM_KEY": secret}
    return subprocess.run(
        [*args, "--as-of", as_of.isoformat()], capture_output=True, text=True, env=env
    )


def rows(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def mart_columns(database: Path, table: str) -> list[str]:
    """The columns of marts.<table> in their order."""
    sql = (
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts'"
        " AND table_name = ? ORDER BY ordinal_position"
    )
    return [name for (name,) in rows(database, sql, [table])]
