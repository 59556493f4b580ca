"""Load the six registers of a landing folder (docs/domain.md §3.1–3.3): file by file into the
per-file store (ingest/registers/file_store.py), then one set-based rebuild of raw.*
(ingest/registers/rebuild.py), then the load log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import polars as pl

from ingest.audit import FileResult, write_load_log
from ingest.delivery import REGISTER_SUFFIXES, Ignored, delivered_files
from ingest.errors import IngestError
from ingest.pseudonym import key_file_path, pseudonym_key
from ingest.raw_schema import create_raw_schema
from ingest.registers.csv_reader import (
    CsvFile,
    FileProblem,
    inspect_csv,
    masked_rows_of,
    read_batches,
)
from ingest.registers.file_store import (
    KeyMismatch,
    add_cross_errors_to_log,
    append_file_quarantine,
    append_rows,
    check_key,
    create_staging,
    drop_file,
    in_file_duplicates,
    mark_unbuilt,
    needs_build,
    register_file,
    set_needs_build,
    staged_sha,
)
from ingest.registers.rebuild import build_registers
from ingest.registers.specs import REGISTERS, RegisterSpec, register_of
from ingest.registers.validate import validate_batch

Progress = Callable[[str], None]
BATCH_ROWS = 1_000_000


def fmt_count(n: int) -> str:
    """12345 → '12.345' (Danish digit grouping for progress lines, Babel's da_DK)."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale="da_DK")


def _duplicate_quarantine(
    conn: duckdb.DuckDBPyConnection, spec: RegisterSpec, csv: CsvFile
) -> pl.DataFrame:
    duplicates = in_file_duplicates(conn, spec.name, spec.key, csv.path.name)
    if duplicates.is_empty():
        return duplicates
    entries = duplicates.select(
        pl.lit(csv.path.name).alias("file_name"),
        pl.lit(spec.name).alias("register"),
        pl.col("row_number").cast(pl.Int64),
        pl.lit(spec.key).alias("column_name"),
        pl.lit("error").alias("severity"),
        pl.lit("duplicate_key_in_file").alias("reason"),
        pl.format(
            f"{spec.key} '{{}}' står igen i række {{}} i samme fil; den senere række bruges",
            "key_value",
            "kept_row",
        ).alias("detail"),
    )
    masked = masked_rows_of(csv, entries["row_number"].to_list())
    return entries.join(masked, on="row_number", how="left", maintain_order="left")


def _stage_file(
    conn: duckdb.DuckDBPyConnection,
    spec: RegisterSpec,
    csv: CsvFile,
    key: bytes,
    progress: Progress,
) -> FileResult:
    """Validate one file batch by batch into staging; all or nothing (one transaction)."""
    name = csv.path.name
    rows_read = errors = 0
    conn.execute("BEGIN TRANSACTION")
    try:
        drop_file(conn, spec.name, name)
        for batch in read_batches(csv, BATCH_ROWS):
            result = validate_batch(batch, spec, csv, name, key)
            append_rows(conn, spec.name, name, csv.sha256, result.rows)
            append_file_quarantine(conn, result.quarantine)
            rows_read += batch.height
            errors += result.error_rows
            progress(f"{name}: {fmt_count(rows_read)} rækker læst …")
        progress(f"{name}: kontrollerer dubletter og gemmer …")
        duplicates = _duplicate_quarantine(conn, spec, csv)
        append_file_quarantine(conn, duplicates)
        errors += duplicates.height
        register_file(conn, spec.name, csv, rows_read)
        set_needs_build(conn, True)
        result = FileResult(
            name, "registers", spec.name, csv.sha256, "loaded", rows_read, rows_read - errors,
            errors, _quarantined_message(errors),
        )  # fmt: skip
        # the file's load-log row commits with its rows; the rebuild adds its cross-file errors
        mark_unbuilt(conn, name, write_load_log(conn, [result]))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return result


def _quarantined_message(quarantined: int) -> str | None:
    return f"{quarantined} række(r) i karantæne" if quarantined else None


def _load_file(
    conn: duckdb.DuckDBPyConnection, path: Path, key: bytes, progress: Progress
) -> FileResult:
    """Stage one register file and log it: a loaded file's load-log row commits with its rows
    (`_stage_file`), a skipped or failed file's row is one statement of its own."""
    result = _try_file(conn, path, key, progress)
    if result.status != "loaded":
        write_load_log(conn, [result])
    return result


def _try_file(
    conn: duckdb.DuckDBPyConnection, path: Path, key: bytes, progress: Progress
) -> FileResult:
    """Stage one register file (a `*.csv` of registers/, see ingest/delivery.py)."""
    register = register_of(path.name)
    if register is None:
        message = f"{path.name}: ukendt register (filnavnet skal begynde med et registernavn)"
        progress(message)
        return FileResult(path.name, "registers", None, None, "failed", message=message)
    spec = REGISTERS[register]
    csv = None
    try:
        csv = inspect_csv(path, spec.required)
        if staged_sha(conn, path.name) == csv.sha256:
            progress(f"{path.name}: allerede indlæst, springes over")
            return FileResult(
                path.name, "registers", register, csv.sha256, "skipped",
                message="allerede indlæst med samme indhold",
            )  # fmt: skip
        return _stage_file(conn, spec, csv, key, progress)
    except OSError as exc:  # unreadable (permissions), gone since the folder was listed, …
        problem = FileProblem(f"{path.name}: filen kan ikke læses ({exc.strerror or exc})")
        progress(f"FEJL {problem}")
        return FileResult(path.name, "registers", register, None, "failed", message=str(problem))
    except FileProblem as problem:
        progress(f"FEJL {problem}")
        sha = csv.sha256 if csv else None
        return FileResult(path.name, "registers", register, sha, "failed", message=str(problem))


def register_files(
    registers_dir: Path, landing: Path | None = None
) -> tuple[list[Path], list[Ignored]]:
    """The `*.csv` files of registers/ (name order) and what else is there, with why."""
    return delivered_files(Path(registers_dir), REGISTER_SUFFIXES, "registre", landing)


def load_registers(
    conn: duckdb.DuckDBPyConnection,
    registers_dir: Path,
    progress: Progress | None = None,
    *,
    files: list[Path] | None = None,
) -> list[FileResult]:
    """Load every register file of `registers_dir` (name order; or `files`, already chosen by
    ingest/delivery.py) and rebuild raw.*."""
    progress = progress or (lambda _message: None)
    registers_dir = Path(registers_dir)
    if not registers_dir.is_dir():
        raise IngestError(f"Mappen med registre findes ikke: {registers_dir}")
    if files is None:
        files, ignored = register_files(registers_dir)
        for entry in ignored:
            progress(f"ignoreret: {entry.line()}")
    create_raw_schema(conn)
    create_staging(conn)
    try:
        key = pseudonym_key()
    except (OSError, ValueError) as exc:
        raise IngestError(
            f"Pseudonymiseringsnøglen kan ikke læses eller oprettes ({key_file_path()}: {exc}); "
            "sæt RUMMELIG_PSEUDONYM_KEY eller RUMMELIG_PSEUDONYM_KEY_FILE"
        ) from exc
    try:
        check_key(conn, key)
    except KeyMismatch as exc:
        raise IngestError(str(exc)) from exc

    results = [_load_file(conn, path, key, progress) for path in files]

    if needs_build(conn):
        progress("registre: genopbygger raw-tabeller …")
        conn.execute("BEGIN TRANSACTION")
        try:
            cross_errors = build_registers(conn, progress)
            add_cross_errors_to_log(conn, cross_errors)
            set_needs_build(conn, False)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        results = [
            _with_cross_errors(r, cross_errors.get(r.file_name, 0)) if r.status == "loaded" else r
            for r in results
        ]
    return results


def _with_cross_errors(result: FileResult, errors: int) -> FileResult:
    """Add the rows this build quarantined across files (dangling, overlapping) to the counts."""
    quarantined = result.rows_quarantined + errors
    return replace(
        result,
        rows_loaded=result.rows_read - quarantined,
        rows_quarantined=quarantined,
        message=_quarantined_message(quarantined),
    )
