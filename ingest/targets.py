"""config/targets.csv, the municipality's måltal (docs/domain.md §3.5), read as people write it.

The file follows the register dialect (§3.2) and is read by the very same code
(ingest/registers/csv_reader.py, ingest/registers/validate.py): separator from the header, BOM,
case-insensitive trimmed headers, quoted cells, the three date formats, decimal comma. A bad row
(unknown kpi, scope_type or direction, bad date, end before start, a value that is no number, a
missing cell) goes to audit.quarantine with register `targets`; the good rows replace
raw.targets; the file gets its audit.load_log row with source `config`. `file_row` (1 = first
data row) keeps the file's order for the "later row wins" rule of E23.

The KPI names come from the dbt seed `kpi_definitions.csv`, the one list fct_kpi documents.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from ingest.audit import FileResult, write_load_log, write_quarantine
from ingest.registers.csv_reader import ROW_NUMBER, FileProblem, inspect_csv, read_batches
from ingest.registers.specs import Col, RegisterSpec
from ingest.registers.validate import validate_batch

KPI_DEFINITIONS_CSV = (
    Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "kpi_definitions.csv"
)
REGISTER = "targets"
SOURCE = "config"
SCOPE_TYPES = ("kommune", "area", "org_unit")
DIRECTIONS = ("min", "max")
BATCH_ROWS = 100_000
RAW_COLUMNS = [
    "kpi",
    "scope_type",
    "scope_id",
    "period_start",
    "period_end",
    "target_value",
    "direction",
    "source",
    "file_row",
]


@lru_cache(maxsize=1)
def kpi_names() -> tuple[str, ...]:
    """The KPIs of docs/domain.md §5.8, in the seed's order."""
    with KPI_DEFINITIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(row["kpi"] for row in csv.DictReader(handle, delimiter=";"))


@lru_cache(maxsize=1)
def targets_spec() -> RegisterSpec:
    """targets.csv as a register: every column required but `source`."""
    return RegisterSpec(
        REGISTER,
        "kpi",
        (
            Col("kpi", "code", required=True, codes=kpi_names()),
            Col("scope_type", "code", required=True, codes=SCOPE_TYPES),
            Col("scope_id", required=True),
            Col("period_start", "date", required=True),
            Col("period_end", "date", required=True),
            Col("target_value", "decimal", required=True),
            Col("direction", "code", required=True, codes=DIRECTIONS),
            Col("source"),
        ),
        date_pairs=(("period_start", "period_end"),),
    )


def _previous_sha(conn: duckdb.DuckDBPyConnection, file_name: str) -> str | None:
    row = conn.execute(
        """SELECT arg_max(sha256, loaded_at) FROM audit.load_log
           WHERE source = ? AND register = ? AND file_name = ?
             AND status IN ('loaded', 'skipped')""",
        [SOURCE, REGISTER, file_name],
    ).fetchone()
    return row[0] if row else None


def _replace(
    conn: duckdb.DuckDBPyConnection, rows: pl.DataFrame | None, quarantine: pl.DataFrame | None
) -> None:
    """raw.targets and the targets' quarantine entries := these (None: empty)."""
    conn.execute("DELETE FROM raw.targets")
    conn.execute("DELETE FROM audit.quarantine WHERE register = ?", [REGISTER])
    if rows is not None and not rows.is_empty():
        conn.register("_target_rows", rows.select(RAW_COLUMNS).to_arrow())
        try:
            conn.execute(
                f"INSERT INTO raw.targets SELECT {', '.join(RAW_COLUMNS)} FROM _target_rows"
            )
        finally:
            conn.unregister("_target_rows")
    if quarantine is not None:
        write_quarantine(conn, quarantine)


def load_targets(conn: duckdb.DuckDBPyConnection, path: Path) -> FileResult | None:
    """Load `path` into raw.targets; None when there is no targets file (then no targets).

    The file is read again on every load, so raw.targets always matches the file in the landing
    folder and the KPI list of this version; the load log says `skipped` when the content is the
    one loaded last time. A file that cannot be read at all (no UTF-8, a missing column) is
    logged `failed` and the targets of the last good load stay.
    """
    if not path.is_file():
        conn.execute("BEGIN TRANSACTION")
        _replace(conn, None, None)
        conn.execute("COMMIT")
        return None
    spec = targets_spec()
    name = path.name
    try:
        table = inspect_csv(path, spec.required)
        batches = [
            validate_batch(batch, spec, table, name, b"")
            for batch in read_batches(table, BATCH_ROWS)
        ]
    except FileProblem as problem:
        result = FileResult(name, SOURCE, REGISTER, None, "failed", message=str(problem))
        write_load_log(conn, [result])
        return result
    rows = pl.concat([b.rows for b in batches]) if batches else None
    if rows is not None:
        rows = rows.with_columns(pl.col(ROW_NUMBER).alias("file_row"))
    quarantine = pl.concat([b.quarantine for b in batches]) if batches else None
    rows_read = sum(b.rows.height + b.error_rows for b in batches)
    errors = sum(b.error_rows for b in batches)
    if _previous_sha(conn, name) == table.sha256:
        # As for a register file: a skipped file has no counts of its own (its load has them).
        result = FileResult(
            name, SOURCE, REGISTER, table.sha256, "skipped",
            message="allerede indlæst med samme indhold",
        )  # fmt: skip
    else:
        message = f"{errors} række(r) i karantæne" if errors else None
        result = FileResult(
            name, SOURCE, REGISTER, table.sha256, "loaded",
            rows_read, rows_read - errors, errors, message,
        )  # fmt: skip
    conn.execute("BEGIN TRANSACTION")
    try:
        _replace(conn, rows, quarantine)
        write_load_log(conn, [result])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return result
