"""audit.load_log and audit.quarantine (docs/domain.md §3.2): every file and every problem."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from ingest.cpr_mask import mask_cpr, mask_cpr_expr

MAX_TEXT_CHARS = 2000  # of a quarantine detail or row_masked

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "file_name": pl.String(),
    "register": pl.String(),
    "row_number": pl.Int64(),
    "column_name": pl.String(),
    "severity": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
    "row_masked": pl.String(),
}


@dataclass(frozen=True)
class FileResult:
    """One row of audit.load_log. Invariant: rows_read = rows_loaded + rows_quarantined."""

    file_name: str
    source: str  # registers | jobindsats | config
    register: str | None
    sha256: str | None
    status: str  # loaded | skipped | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def already_loaded(conn: duckdb.DuckDBPyConnection, file_name: str, sha256: str) -> bool:
    """True when exactly this content of this file was loaded before (a re-delivery is skipped)."""
    row = conn.execute(
        "SELECT count(*) FROM audit.load_log "
        "WHERE file_name = ? AND sha256 = ? AND status = 'loaded'",
        [file_name, sha256],
    ).fetchone()
    return bool(row and row[0])


def write_load_log(
    conn: duckdb.DuckDBPyConnection, results: list[FileResult], *, at: datetime | None = None
) -> datetime:
    """Append the files' load-log rows (one statement: all or none); returns their loaded_at.
    A loader writes a file's row in the transaction that stores the file's rows, so a crash
    leaves neither without the other."""
    now = at or datetime.now()
    if not results:  # an empty folder (DuckDB's executemany refuses an empty list)
        return now
    conn.executemany(
        "INSERT INTO audit.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.file_name,
                r.source,
                r.register,
                r.sha256,
                r.status,
                r.rows_read,
                r.rows_loaded,
                r.rows_quarantined,
                mask_cpr(r.message),
                now,
            )
            for r in results
        ],
    )
    return now


def empty_quarantine() -> pl.DataFrame:
    return pl.DataFrame(schema=QUARANTINE_SCHEMA)


def _shortened(text: pl.Expr) -> pl.Expr:
    """Texts for people: a cell of megabytes is cut (after masking, so no CPR is cut in half)."""
    return (
        pl.when(text.str.len_chars() > MAX_TEXT_CHARS)
        .then(text.str.slice(0, MAX_TEXT_CHARS - 1) + "…")
        .otherwise(text)
    )


def masked_quarantine(frame: pl.DataFrame) -> pl.DataFrame:
    """QUARANTINE_SCHEMA's columns, its texts CPR-masked (ingest/cpr_mask.py) and shortened."""
    texts = [_shortened(mask_cpr_expr(pl.col(c))) for c in ("detail", "row_masked")]
    return frame.select([pl.col(c).cast(t) for c, t in QUARANTINE_SCHEMA.items()]).with_columns(
        texts
    )


def write_quarantine(
    conn: duckdb.DuckDBPyConnection, frame: pl.DataFrame, table: str = "audit.quarantine"
) -> None:
    """Append quarantine rows to `table` (audit.quarantine, or a per-file store's copy); the frame
    must have exactly QUARANTINE_SCHEMA's columns. detail and row_masked pass the CPR mask here,
    whoever built them."""
    if frame.is_empty():
        return
    frame = masked_quarantine(frame)
    conn.register("_quarantine_rows", frame.to_arrow())
    try:
        conn.execute(f"INSERT INTO {table} SELECT * FROM _quarantine_rows")
    finally:
        conn.unregister("_quarantine_rows")
