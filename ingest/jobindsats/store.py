"""The per-file store behind raw.jobindsats (E20: a later extract replaces the earlier value).

`raw._files_jobindsats` keeps the facts of the loaded version of every file name and
`raw._jobindsats_files` registers that version (sha256, table ids). raw.jobindsats is rebuilt
from the store, per cell the fact of the greatest file name, so the result never depends on the
order files were loaded in. Both tables are internal (not dbt sources).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from ingest.audit import write_quarantine
from ingest.jobindsats.normalise import FACT_COLUMNS, FACT_KEY, ExtractResult
from ingest.raw_schema import OTHER_TABLES

STORE_TABLE = "raw._files_jobindsats"
FILES_TABLE = "raw._jobindsats_files"


def create_store(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {STORE_TABLE} ({OTHER_TABLES['jobindsats']}, "
        "row_number BIGINT NOT NULL, file_sha256 VARCHAR NOT NULL)"
    )
    conn.execute(
        f"""CREATE TABLE IF NOT EXISTS {FILES_TABLE} (file_name VARCHAR PRIMARY KEY,
            sha256 VARCHAR NOT NULL, table_ids VARCHAR, loaded_at TIMESTAMP NOT NULL)"""
    )


def stored_version(conn: duckdb.DuckDBPyConnection, file_name: str) -> tuple | None:
    """(sha256, table ids) of the version of this file name that is in the store, if any."""
    return conn.execute(
        f"SELECT sha256, table_ids FROM {FILES_TABLE} WHERE file_name = ?", [file_name]
    ).fetchone()


def store_file(
    conn: duckdb.DuckDBPyConnection,
    file_name: str,
    sha: str,
    extract: ExtractResult,
    *,
    previous: tuple | None,
) -> None:
    """This file name's new version replaces its earlier one: facts, quarantine entries and
    the registry row."""
    conn.execute(f"DELETE FROM {STORE_TABLE} WHERE source_file = ?", [file_name])
    if previous is not None:
        old_tables = (previous[1] or "").split(",")
        conn.execute(
            "DELETE FROM audit.quarantine WHERE file_name = ? AND list_contains(?, register)",
            [file_name, old_tables],
        )
    table_ids = ",".join(extract.table_ids) or None
    conn.execute(
        f"INSERT OR REPLACE INTO {FILES_TABLE} VALUES (?, ?, ?, ?)",
        [file_name, sha, table_ids, datetime.now()],
    )
    write_quarantine(conn, extract.quarantine)
    if extract.facts.is_empty():
        return
    frame = extract.facts.select(FACT_COLUMNS + ["row_number"]).with_columns(
        file_sha256=pl.lit(sha, pl.String())
    )
    conn.register("_jobindsats_file", frame.to_arrow())
    try:
        conn.execute(f"INSERT INTO {STORE_TABLE} SELECT * FROM _jobindsats_file")
    finally:
        conn.unregister("_jobindsats_file")


def rebuild_raw_jobindsats(conn: duckdb.DuckDBPyConnection) -> None:
    """raw.jobindsats = per cell, the fact from the latest file name (E20 'later extract')."""
    columns = ", ".join(FACT_COLUMNS)
    key = ", ".join(FACT_KEY)
    conn.execute("DELETE FROM raw.jobindsats")
    conn.execute(
        f"""
        INSERT INTO raw.jobindsats ({columns})
        SELECT {columns} FROM {STORE_TABLE}
        QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY source_file DESC) = 1
        """
    )
