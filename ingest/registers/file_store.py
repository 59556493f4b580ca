"""The per-file store of validated register rows (not dbt's staging schema), so raw.* can be
rebuilt set-based and re-runs are deterministic (docs/domain.md §3.1: later file wins; the same file
twice changes nothing).

Tables (schema raw, names starting with `_`, not dbt sources):
- `raw._files_<register>`: the validated rows of every staged file version (no CPR: person_key and
  birth_date only), with `_source_file`, `_file_sha256`, `_row_number`.
- `raw._ingest_files`: one row per staged file name: its sha256, path, dialect and rows read.
- `raw._file_quarantine`: the quarantine entries found inside each staged file (its own rows).
- `raw._ingest_state`: a fingerprint of the pseudonymisation key and whether raw.* needs a rebuild.
- `raw._unbuilt_files`: the load-log rows (file name, loaded_at) of files staged since the last
  rebuild of raw.*: the rebuild adds its cross-file errors to exactly those rows, in its own
  transaction, also after a crash between a file's commit and the rebuild.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from ingest.audit import write_quarantine
from ingest.cpr_mask import mask_cpr
from ingest.raw_schema import AUDIT_TABLES, REGISTER_TABLES
from ingest.registers.csv_reader import CsvFile

STAGING_COLUMNS = (
    "_source_file VARCHAR NOT NULL, _file_sha256 VARCHAR NOT NULL, _row_number INTEGER NOT NULL"
)


class KeyMismatch(Exception):
    """The pseudonymisation key differs from the one the staged rows were made with."""


@dataclass(frozen=True)
class StagedFile:
    file_name: str
    register: str
    sha256: str
    path: str
    separator: str
    columns: str  # header names joined by the separator
    rows_read: int

    def csv(self) -> CsvFile:
        return CsvFile(
            Path(self.path), self.sha256, self.separator, tuple(self.columns.split(self.separator))
        )


def create_staging(conn: duckdb.DuckDBPyConnection) -> None:
    for register, columns in REGISTER_TABLES.items():
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS raw._files_{register} ({columns}, {STAGING_COLUMNS})"
        )
    conn.execute(
        """CREATE TABLE IF NOT EXISTS raw._ingest_files (
            file_name VARCHAR PRIMARY KEY, register VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
            path VARCHAR NOT NULL, separator VARCHAR NOT NULL, columns VARCHAR NOT NULL,
            rows_read BIGINT NOT NULL, staged_at TIMESTAMP NOT NULL)"""
    )
    conn.execute(f"CREATE TABLE IF NOT EXISTS raw._file_quarantine ({AUDIT_TABLES['quarantine']})")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS raw._ingest_state (key_check VARCHAR, needs_build BOOLEAN)"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS raw._unbuilt_files"
        " (file_name VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL)"
    )


def mark_unbuilt(conn: duckdb.DuckDBPyConnection, file_name: str, loaded_at: datetime) -> None:
    """The file's load-log row (written in the same transaction) awaits the rebuild's counts."""
    conn.execute("INSERT INTO raw._unbuilt_files VALUES (?, ?)", [file_name, loaded_at])


def add_cross_errors_to_log(conn: duckdb.DuckDBPyConnection, cross_errors: dict[str, int]) -> None:
    """In the rebuild's transaction: add the rows it quarantined across files (dangling,
    overlapping) to the load-log rows of the files staged since the last rebuild, so
    rows_read = rows_loaded + rows_quarantined holds for every row of the load log."""
    pending = conn.execute("SELECT file_name, loaded_at FROM raw._unbuilt_files").fetchall()
    updates = [(cross_errors[f], f, at) for f, at in pending if cross_errors.get(f)]
    if updates:
        conn.executemany(
            """UPDATE audit.load_log SET
                   rows_quarantined = rows_quarantined + $1,
                   rows_loaded = rows_read - (rows_quarantined + $1),
                   message = (rows_quarantined + $1) || ' række(r) i karantæne'
               WHERE file_name = $2 AND loaded_at = $3 AND status = 'loaded'""",
            updates,
        )
    conn.execute("DELETE FROM raw._unbuilt_files")


def check_key(conn: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """Refuse to mix person_keys made with two different secrets in one warehouse."""
    fingerprint = hmac.digest(key, b"rummelig key check", "sha256").hex()[:16]
    row = conn.execute("SELECT key_check FROM raw._ingest_state").fetchone()
    if row is None:
        conn.execute("INSERT INTO raw._ingest_state VALUES (?, false)", [fingerprint])
    elif row[0] != fingerprint:
        raise KeyMismatch(
            "Pseudonymiseringsnøglen er ikke den samme som ved tidligere indlæsninger i denne "
            "database; personnøgler ville ikke passe sammen. Brug den oprindelige nøgle "
            "(RUMMELIG_PSEUDONYM_KEY eller nøglefilen) eller en ny database."
        )


def set_needs_build(conn: duckdb.DuckDBPyConnection, value: bool) -> None:
    conn.execute("UPDATE raw._ingest_state SET needs_build = ?", [value])


def needs_build(conn: duckdb.DuckDBPyConnection) -> bool:
    row = conn.execute("SELECT needs_build FROM raw._ingest_state").fetchone()
    return bool(row and row[0])


def staged_sha(conn: duckdb.DuckDBPyConnection, file_name: str) -> str | None:
    row = conn.execute(
        "SELECT sha256 FROM raw._ingest_files WHERE file_name = ?", [file_name]
    ).fetchone()
    return row[0] if row else None


def staged_files(conn: duckdb.DuckDBPyConnection) -> dict[str, StagedFile]:
    rows = conn.execute(
        "SELECT file_name, register, sha256, path, separator, columns, rows_read "
        "FROM raw._ingest_files"
    ).fetchall()
    return {r[0]: StagedFile(*r) for r in rows}


def drop_file(conn: duckdb.DuckDBPyConnection, register: str, file_name: str) -> None:
    """Forget an earlier version of a file (a file with the same name but new content)."""
    conn.execute(f"DELETE FROM raw._files_{register} WHERE _source_file = ?", [file_name])
    conn.execute("DELETE FROM raw._file_quarantine WHERE file_name = ?", [file_name])
    conn.execute("DELETE FROM raw._ingest_files WHERE file_name = ?", [file_name])
    conn.execute("DELETE FROM raw._unbuilt_files WHERE file_name = ?", [file_name])


def append_rows(
    conn: duckdb.DuckDBPyConnection, register: str, file_name: str, sha: str, rows: pl.DataFrame
) -> None:
    if rows.is_empty():
        return
    conn.register("_staged_batch", rows.to_arrow())
    try:
        conn.execute(
            f"INSERT INTO raw._files_{register} BY NAME "
            "SELECT *, ? AS _source_file, ? AS _file_sha256 FROM _staged_batch",
            [file_name, sha],
        )
    finally:
        conn.unregister("_staged_batch")


def append_file_quarantine(conn: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> None:
    write_quarantine(conn, frame, table="raw._file_quarantine")


def register_file(
    conn: duckdb.DuckDBPyConnection, register: str, csv: CsvFile, rows_read: int
) -> None:
    conn.execute(
        "INSERT INTO raw._ingest_files VALUES (?, ?, ?, ?, ?, ?, ?, now())",
        [
            csv.path.name,
            register,
            csv.sha256,
            str(csv.path.resolve()),
            csv.separator,
            mask_cpr(csv.separator.join(csv.columns)),
            rows_read,
        ],
    )


def in_file_duplicates(
    conn: duckdb.DuckDBPyConnection, register: str, key: str, file_name: str
) -> pl.DataFrame:
    """Rows whose key occurs again later in the same file: the later row wins (as between files).

    Returns (row_number, key_value, kept_row) and removes those rows from staging.
    """
    duplicates = conn.sql(
        f"""WITH this_file AS (
                SELECT {key}, _row_number FROM raw._files_{register} WHERE _source_file = $file),
            repeated AS (
                SELECT {key}, max(_row_number) AS kept_row FROM this_file
                GROUP BY {key} HAVING count(*) > 1)
            SELECT t._row_number AS row_number, t.{key} AS key_value, r.kept_row
            FROM this_file t JOIN repeated r USING ({key})
            WHERE t._row_number < r.kept_row ORDER BY t._row_number""",
        params={"file": file_name},
    ).pl()
    if not duplicates.is_empty():
        conn.register("_duplicate_rows", duplicates.select("row_number").to_arrow())
        try:
            conn.execute(
                f"DELETE FROM raw._files_{register} WHERE _source_file = ? "
                "AND _row_number IN (SELECT row_number FROM _duplicate_rows)",
                [file_name],
            )
        finally:
            conn.unregister("_duplicate_rows")
    return duplicates
