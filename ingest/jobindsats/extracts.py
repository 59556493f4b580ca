"""jobindsats.dk extracts → raw.jobindsats (docs/domain.md §3.4, §5.7, E19–E21).

`read_extract(path)` turns one CSV/XLSX/JSON extract into the long normalised form of
raw.jobindsats; `load_extracts(conn, folder)` loads every extract of the landing folder's
`jobindsats/` in file-name order. The parts (modules of `ingest.jobindsats`): file formats
(`formats`), cell values (`values`), period codes (`periods`), area names (`areas`), the
normalisation (`normalise`) and the per-file store behind revisions (`store`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from ingest.audit import FileResult, file_sha256, write_load_log
from ingest.delivery import JOBINDSATS_SUFFIXES, delivered_files
from ingest.jobindsats.areas import AreaIndex, default_area_index
from ingest.jobindsats.formats import JobindsatsFormatError, table_id_from_file_name
from ingest.jobindsats.normalise import (
    FACT_COLUMNS,
    FACT_SCHEMA,
    ExtractResult,
    parse_extract_bytes,
)
from ingest.jobindsats.store import (
    create_store,
    rebuild_raw_jobindsats,
    store_file,
    stored_version,
)

__all__ = [
    "FACT_COLUMNS",
    "FACT_SCHEMA",
    "ExtractResult",
    "JobindsatsFormatError",
    "extract_files",
    "load_extracts",
    "parse_extract",
    "parse_extract_bytes",
    "read_extract",
]

SOURCE = "jobindsats"


def read_extract(path: Path, *, areas: AreaIndex | None = None) -> pl.DataFrame:
    """The long normalised facts of one extract (quarantined rows left out).

    Raises JobindsatsFormatError when the file is not a usable extract."""
    return parse_extract(path, areas=areas).facts.select(FACT_COLUMNS)


def parse_extract(path: Path, *, areas: AreaIndex | None = None) -> ExtractResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise JobindsatsFormatError(f"{path.name}: filen kan ikke læses: {exc.strerror}") from exc
    return parse_extract_bytes(path.name, data, areas=areas)


def extract_files(folder: Path) -> list[Path]:
    """Every extract in the folder, in file-name order (the order revisions apply in); what is
    not an extract is decided in ingest/delivery.py."""
    return delivered_files(folder, JOBINDSATS_SUFFIXES, "udtræk")[0]


def load_extracts(
    conn: duckdb.DuckDBPyConnection,
    folder: Path,
    *,
    progress: Callable[[str], None] | None = None,
    areas: AreaIndex | None = None,
) -> list[FileResult]:
    """Load every extract of `folder` into raw.jobindsats; one audit.load_log row per file.

    A file whose content is the version in the store is `skipped`; a changed file replaces its
    own earlier facts and quarantine entries; a failed file leaves the warehouse as it was.
    A loaded file's facts, the rebuilt raw.jobindsats and its load-log row commit together (one
    transaction per file: the table is small), so a crash never leaves facts without their log
    row or a stale raw.jobindsats behind a `skipped`. Writes audit.quarantine and audit.load_log;
    returns the load-log rows."""
    create_store(conn)
    areas = areas or default_area_index()
    results: list[FileResult] = []
    for path in extract_files(folder):
        if progress:
            progress(f"jobindsats: {path.name}")
        sha = file_sha256(path)
        stored = stored_version(conn, path.name)
        if stored is not None and stored[0] == sha:
            result = FileResult(
                path.name, SOURCE, stored[1], sha, "skipped", message="allerede indlæst"
            )
            write_load_log(conn, [result])
            results.append(result)
            continue
        try:
            extract = parse_extract(path, areas=areas)
        except JobindsatsFormatError as exc:
            register = table_id_from_file_name(path.name)
            result = FileResult(path.name, SOURCE, register, sha, "failed", message=str(exc))
            write_load_log(conn, [result])
            results.append(result)
            continue
        result = FileResult(
            path.name,
            SOURCE,
            ",".join(extract.table_ids) or None,
            sha,
            "loaded",
            rows_read=extract.rows_read,
            rows_loaded=extract.rows_loaded,
            rows_quarantined=extract.rows_quarantined,
            message=None if extract.rows_read else "ingen datarækker",
        )
        conn.execute("BEGIN TRANSACTION")
        try:
            store_file(conn, path.name, sha, extract, previous=stored)
            rebuild_raw_jobindsats(conn)
            write_load_log(conn, [result])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        results.append(result)
    return results
