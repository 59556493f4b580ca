"""jobindsats.dk extracts → raw.jobindsats (DOMAIN.md §3.4, §5.7, E19–E21).

`read_extract(path)` turns one CSV/XLSX/JSON extract into the long normalised form of
raw.jobindsats; `load_extracts(conn, folder)` loads every extract of the landing folder's
`jobindsats/` in file-name order.

Revisions: every loaded file's facts are kept in `raw._files_jobindsats` (one version per
file name), and raw.jobindsats is rebuilt from it with the fact of the latest file name winning.
Re-running, loading files in another order or re-delivering a file therefore always gives the
same raw.jobindsats.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from ingest.audit import (
    QUARANTINE_SCHEMA,
    FileResult,
    already_loaded,
    file_sha256,
    mask_cpr,
    write_load_log,
    write_quarantine,
)
from ingest.jobindsats_formats import (
    JobindsatsFormatError,
    RawTable,
    column_role,
    read_tables,
    table_id_from_file_name,
)
from ingest.jobindsats_periods import Period, parse_period
from ingest.jobindsats_values import cell_text, is_measure_column, parse_number
from ingest.raw_schema import OTHER_TABLES
from ingest.reference import Area, AreaIndex, default_area_index

__all__ = [
    "JobindsatsFormatError",
    "ExtractResult",
    "load_extracts",
    "parse_extract",
    "read_extract",
]

SOURCE = "jobindsats"
EXTENSIONS = (".csv", ".xlsx", ".json")
STORE_TABLE = "raw._files_jobindsats"  # not a dbt source: the per-file store
FACT_KEY = ("table_id", "measure", "area_name", "period_code", "dimensions")

FACT_SCHEMA: dict[str, pl.DataType] = {
    "table_id": pl.String(),
    "measure": pl.String(),
    "area_name": pl.String(),
    "municipality_code": pl.String(),
    "area_level": pl.String(),
    "period_code": pl.String(),
    "period_type": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "dimensions": pl.String(),
    "value": pl.Float64(),
    "suppressed": pl.Boolean(),
    "source_file": pl.String(),
}
FACT_COLUMNS = list(FACT_SCHEMA)


@dataclass(frozen=True)
class ExtractResult:
    """One extract, parsed. rows_read = data rows; a row with an unknown area or an invalid
    period is quarantined whole (all its measures)."""

    facts: pl.DataFrame  # FACT_SCHEMA + row_number
    quarantine: pl.DataFrame  # QUARANTINE_SCHEMA
    table_ids: list[str]
    rows_read: int
    rows_quarantined: int

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_quarantined


def read_extract(path: Path, *, areas: AreaIndex | None = None) -> pl.DataFrame:
    """The long normalised facts of one extract (quarantined rows left out).

    Raises JobindsatsFormatError when the file is not a usable extract."""
    return parse_extract(path, areas=areas).facts.select(FACT_COLUMNS)


def parse_extract(path: Path, *, areas: AreaIndex | None = None) -> ExtractResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise JobindsatsFormatError(f"filen kan ikke læses: {exc.strerror}") from exc
    return parse_extract_bytes(path.name, data, areas=areas)


def parse_extract_bytes(
    file_name: str, data: bytes, *, areas: AreaIndex | None = None
) -> ExtractResult:
    areas = areas or default_area_index()
    tables = read_tables(file_name, data)
    facts: list[pl.DataFrame] = []
    problems: list[dict] = []
    table_ids: list[str] = []
    rows_read = rows_quarantined = 0
    for table in tables:
        table_id = table.table_id or table_id_from_file_name(file_name)
        if table_id is None:
            raise JobindsatsFormatError(
                "tabel-id mangler: hverken i filnavnet (fx Y07A02_….csv) eller i indholdet"
            )
        if table_id not in table_ids:
            table_ids.append(table_id)
        frame, bad_rows, table_problems = _normalise(
            table, table_id=table_id, file_name=file_name, areas=areas, row_offset=rows_read
        )
        facts.append(frame)
        problems += table_problems
        rows_read += len(table.rows)
        rows_quarantined += bad_rows
    facts_frame = pl.concat(facts) if facts else _empty_facts()
    facts_frame, duplicates = _keep_last_per_cell(facts_frame, file_name)
    quarantine = pl.DataFrame(problems + duplicates, schema=QUARANTINE_SCHEMA)
    return ExtractResult(facts_frame, quarantine, table_ids, rows_read, rows_quarantined)


def _empty_facts() -> pl.DataFrame:
    return pl.DataFrame(schema={**FACT_SCHEMA, "row_number": pl.Int64()})


def _problem(
    file_name: str,
    table_id: str,
    row_number: int,
    column: str,
    reason: str,
    detail: str,
    cells: list,
) -> dict:
    return {
        "file_name": file_name,
        "register": table_id,
        "row_number": row_number,
        "column_name": column,
        "severity": "error",
        "reason": reason,
        "detail": detail,
        "row_masked": mask_cpr(";".join(cell_text(c) for c in cells)),
    }


def _normalise(
    table: RawTable, *, table_id: str, file_name: str, areas: AreaIndex, row_offset: int
) -> tuple[pl.DataFrame, int, list[dict]]:
    """Split columns (E19), resolve areas (E21) and periods, parse values (E20)."""
    roles = [column_role(c) for c in table.columns]
    if "area" not in roles:
        raise JobindsatsFormatError("kolonnen Område (Area) mangler")
    if "period" not in roles:
        raise JobindsatsFormatError("kolonnen Periode (Period/Tid) mangler")
    area_i, period_i = roles.index("area"), roles.index("period")
    labels = [c.label for c in table.columns]
    others = [i for i, role in enumerate(roles) if role is None]
    if len(set(labels[i] for i in others)) != len(others):
        raise JobindsatsFormatError("to kolonner har samme navn")
    measures = [i for i in others if is_measure_column([cells[i] for _, cells in table.rows])]
    dimensions = sorted((i for i in others if i not in measures), key=lambda i: labels[i])
    if table.rows and not measures:
        raise JobindsatsFormatError("ingen målingskolonner (kolonner med tal) fundet")

    area_cache: dict[str, Area | None] = {}
    period_cache: dict[str, Period | None] = {}
    good: list[tuple[int, str, Area, Period, str, list]] = []
    problems: list[dict] = []
    for number, cells in table.rows:
        row_number = row_offset + number
        area_name = cell_text(cells[area_i])
        period_code = cell_text(cells[period_i])
        if area_name not in area_cache:
            area_cache[area_name] = areas.resolve(area_name) if area_name else None
        if period_code not in period_cache:
            period_cache[period_code] = parse_period(period_code)
        area, period = area_cache[area_name], period_cache[period_code]
        if area is None:
            problems.append(
                _problem(
                    file_name,
                    table_id,
                    row_number,
                    labels[area_i],
                    "unknown_area",
                    f"ukendt område '{area_name}'",
                    cells,
                )
            )
        if period is None:
            problems.append(
                _problem(
                    file_name,
                    table_id,
                    row_number,
                    labels[period_i],
                    "invalid_period",
                    f"ugyldig periode '{period_code}'",
                    cells,
                )
            )
        if area is None or period is None:
            continue
        dims = {labels[i]: cell_text(cells[i]) for i in dimensions}
        good.append(
            (
                row_number,
                area_name,
                area,
                period,
                json.dumps(dims, ensure_ascii=False, sort_keys=True),
                cells,
            )
        )
    bad_rows = len({p["row_number"] for p in problems})
    if not good:
        return _empty_facts(), bad_rows, problems

    base = pl.DataFrame(
        {
            "row_number": [g[0] for g in good],
            "area_name": [g[1] for g in good],
            "municipality_code": [g[2].municipality_code for g in good],
            "area_level": [g[2].area_level for g in good],
            "period_code": [g[3].code for g in good],
            "period_type": [g[3].period_type for g in good],
            "period_start": [g[3].start for g in good],
            "period_end": [g[3].end for g in good],
            "dimensions": [g[4] for g in good],
        },
        schema_overrides={"municipality_code": pl.String(), "row_number": pl.Int64()},
    )
    per_measure = []
    for i in measures:
        values = [parse_number(g[5][i]) for g in good]
        per_measure.append(
            base.with_columns(
                table_id=pl.lit(table_id, pl.String()),
                measure=pl.lit(labels[i], pl.String()),
                value=pl.Series(values, dtype=pl.Float64()),
                source_file=pl.lit(file_name, pl.String()),
            ).with_columns(suppressed=pl.col("value").is_null())
        )
    frame = pl.concat(per_measure).select(
        [pl.col(c).cast(t) for c, t in FACT_SCHEMA.items()] + [pl.col("row_number")]
    )
    return frame, bad_rows, problems


def _keep_last_per_cell(facts: pl.DataFrame, file_name: str) -> tuple[pl.DataFrame, list[dict]]:
    """The same cell twice in one file: the later row wins (as between files); the earlier row
    is recorded as a warning so nothing disappears silently."""
    if facts.is_empty():
        return facts, []
    key = list(FACT_KEY)
    ranked = facts.with_columns(
        _last=pl.col("row_number").max().over(key),
    )
    replaced = ranked.filter(pl.col("row_number") != pl.col("_last"))
    warnings = [
        {
            "file_name": file_name,
            "register": r["table_id"],
            "row_number": r["row_number"],
            "column_name": r["measure"],
            "severity": "warning",
            "reason": "duplicate_cell",
            "detail": f"samme celle igen i række {r['_last']}; den senere række gælder",
            "row_masked": None,
        }
        for r in replaced.unique(["row_number", "measure"]).sort("row_number").iter_rows(named=True)
    ]
    kept = ranked.filter(pl.col("row_number") == pl.col("_last")).drop("_last")
    return kept, warnings


# --- loading ----------------------------------------------------------------------------------


def create_store(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {STORE_TABLE} ({OTHER_TABLES['jobindsats']}, "
        "row_number BIGINT NOT NULL, file_sha256 VARCHAR NOT NULL)"
    )


def extract_files(folder: Path) -> list[Path]:
    """Every extract in the folder, in file-name order (the order revisions apply in)."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS]
    return sorted(files, key=lambda p: p.name)


def load_extracts(
    conn: duckdb.DuckDBPyConnection,
    folder: Path,
    *,
    progress: Callable[[str], None] | None = None,
    areas: AreaIndex | None = None,
    write_log: bool = True,
) -> list[FileResult]:
    """Load every extract of `folder` into raw.jobindsats; one audit.load_log row per file.

    A file whose exact content was loaded before is `skipped`; a changed file replaces its own
    earlier facts; a failed file leaves the warehouse as it was. Writes audit.quarantine and (with
    write_log) audit.load_log itself; returns the load-log rows either way."""
    create_store(conn)
    areas = areas or default_area_index()
    results: list[FileResult] = []
    changed = False
    for path in extract_files(folder):
        if progress:
            progress(f"jobindsats: {path.name}")
        sha = file_sha256(path)
        if already_loaded(conn, path.name, sha):
            results.append(
                FileResult(
                    path.name,
                    SOURCE,
                    _logged_register(conn, path.name, sha),
                    sha,
                    "skipped",
                    message="allerede indlæst",
                )
            )
            continue
        try:
            extract = parse_extract(path, areas=areas)
        except JobindsatsFormatError as exc:
            register = table_id_from_file_name(path.name)
            results.append(FileResult(path.name, SOURCE, register, sha, "failed", message=str(exc)))
            continue
        _store_file(conn, path.name, sha, extract.facts)
        write_quarantine(conn, extract.quarantine)
        changed = True
        results.append(
            FileResult(
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
        )
    if changed:
        rebuild_raw_jobindsats(conn)
    if write_log and results:
        write_load_log(conn, results)
    return results


def _logged_register(conn: duckdb.DuckDBPyConnection, file_name: str, sha: str) -> str | None:
    row = conn.execute(
        "SELECT register FROM audit.load_log WHERE file_name = ? AND sha256 = ? "
        "AND status = 'loaded' ORDER BY loaded_at DESC LIMIT 1",
        [file_name, sha],
    ).fetchone()
    return row[0] if row else None


def _store_file(
    conn: duckdb.DuckDBPyConnection, file_name: str, sha: str, facts: pl.DataFrame
) -> None:
    """Replace this file name's facts in the per-file store."""
    conn.execute(f"DELETE FROM {STORE_TABLE} WHERE source_file = ?", [file_name])
    if facts.is_empty():
        return
    frame = facts.select(FACT_COLUMNS + ["row_number"]).with_columns(
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
