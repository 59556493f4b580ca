"""jobindsats.dk extracts → raw.jobindsats (DOMAIN.md §3.4, §5.7, E19–E21).

`read_extract(path)` turns one CSV/XLSX/JSON extract into the long normalised form of
raw.jobindsats; `load_extracts(conn, folder)` loads every extract of the landing folder's
`jobindsats/` in file-name order.

Revisions: every loaded file's facts are kept in `raw._files_jobindsats` (one version per
file name, registered in `raw._jobindsats_files`), and raw.jobindsats is rebuilt from it with
the fact of the latest file name winning.
Re-running, loading files in another order or re-delivering a file therefore always gives the
same raw.jobindsats.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from ingest.audit import (
    QUARANTINE_SCHEMA,
    FileResult,
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
from ingest.jobindsats_periods import parse_period
from ingest.jobindsats_values import (
    as_text,
    cell_value,
    clean_text,
    is_suppressed_mark,
    split_cells,
)
from ingest.raw_schema import OTHER_TABLES
from ingest.reference import AreaIndex, default_area_index

__all__ = [
    "JobindsatsFormatError",
    "ExtractResult",
    "load_extracts",
    "parse_extract",
    "read_extract",
]

SOURCE = "jobindsats"
EXTENSIONS = (".csv", ".xlsx", ".json")
STORE_TABLE = "raw._files_jobindsats"  # not a dbt source: the facts of each file's version
FILES_TABLE = "raw._jobindsats_files"  # the version (sha256) of each file name in the store
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
    problems: list[pl.DataFrame] = []
    table_ids: list[str] = []
    rows_read = rows_quarantined = 0
    for table in tables:
        # The payload's own id, else the file name's prefix, else a title line's.
        table_id = table.table_id or table_id_from_file_name(file_name) or table.title_table_id
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
        problems.append(table_problems)
        rows_read += len(table.rows)
        rows_quarantined += bad_rows
    facts_frame = pl.concat(facts) if facts else _empty_facts()
    facts_frame, duplicates = _keep_last_per_cell(facts_frame, file_name)
    quarantine = pl.concat(
        [*problems, pl.DataFrame(duplicates, schema=QUARANTINE_SCHEMA)], how="vertical"
    ).sort("row_number", "reason", maintain_order=True)
    return ExtractResult(facts_frame, quarantine, table_ids, rows_read, rows_quarantined)


def _empty_facts() -> pl.DataFrame:
    return pl.DataFrame(schema={**FACT_SCHEMA, "row_number": pl.Int64()})


def _lookup_frame(keys: list[str], resolve, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """A small mapping frame: each distinct key → the resolved columns (null when unresolved)."""
    rows = [(key, *resolve(key)) for key in keys]
    return pl.DataFrame(rows, schema=columns, orient="row")


def _resolve_area(areas: AreaIndex, name: str) -> tuple[str | None, str | None]:
    area = areas.resolve(name) if name else None
    return (area.area_level, area.municipality_code) if area else (None, None)


def _resolve_period(code: str) -> tuple:
    period = parse_period(code)
    return (period.period_type, period.start, period.end) if period else (None, None, None)


def _quarantine_rows(
    bad: pl.DataFrame, *, file_name: str, table_id: str, column: str, reason: str, detail: str
) -> pl.DataFrame:
    return bad.select(
        file_name=pl.lit(file_name, pl.String()),
        register=pl.lit(table_id, pl.String()),
        row_number=pl.col("row_number"),
        column_name=pl.lit(column, pl.String()),
        severity=pl.lit("error", pl.String()),
        reason=pl.lit(reason, pl.String()),
        detail=pl.format(
            detail, pl.col("area_name" if reason == "unknown_area" else "period_code")
        ),
        row_masked=pl.Series([mask_cpr(r) for r in bad["_raw"]], dtype=pl.String()),
    )


def _normalise(
    table: RawTable, *, table_id: str, file_name: str, areas: AreaIndex, row_offset: int
) -> tuple[pl.DataFrame, int, pl.DataFrame]:
    """Split columns (E19), resolve areas (E21) and periods, parse values (E20) — column-wise."""
    roles = [column_role(c) for c in table.columns]
    if "area" not in roles:
        raise JobindsatsFormatError("kolonnen Område (Area) mangler")
    if "period" not in roles:
        raise JobindsatsFormatError("kolonnen Periode (Period/Tid) mangler")
    area_i, period_i = roles.index("area"), roles.index("period")
    labels = [c.label for c in table.columns]
    others = [i for i, role in enumerate(roles) if role is None]
    if len({labels[i] for i in others}) != len(others):
        raise JobindsatsFormatError("to kolonner har samme navn")

    data: dict[str, list] = {}
    schema: dict[str, pl.DataType] = {}
    for i in range(len(labels)):
        data[f"t{i}"], data[f"n{i}"] = split_cells([row[i] for row in table.rows])
        schema[f"t{i}"], schema[f"n{i}"] = pl.String(), pl.Float64()
    cells = (
        pl.DataFrame(data, schema=schema)
        .with_columns(clean_text(pl.col(f"t{i}")) for i in range(len(labels)))
        .with_row_index("row_number", offset=row_offset + 1)
        .with_columns(pl.col("row_number").cast(pl.Int64()))
    )

    def text(i: int) -> pl.Expr:
        return as_text(pl.col(f"t{i}"), pl.col(f"n{i}"))

    def value(i: int) -> pl.Expr:
        return cell_value(pl.col(f"t{i}"), pl.col(f"n{i}"))

    # E19: a measure column holds only numbers and suppression marks, and at least one number.
    stats = cells.select(
        *(
            (value(i).is_not_null() | is_suppressed_mark(pl.col(f"t{i}"), pl.col(f"n{i}")))
            .all()
            .alias(f"only{i}")
            for i in others
        ),
        *(value(i).is_not_null().any().alias(f"any{i}") for i in others),
    ).row(0, named=True)
    measures = [i for i in others if stats[f"only{i}"] and stats[f"any{i}"]]
    dimensions = sorted((i for i in others if i not in measures), key=lambda i: labels[i])
    if table.rows and not measures:
        raise JobindsatsFormatError("ingen målingskolonner (kolonner med tal) fundet")
    if not table.rows:
        return _empty_facts(), 0, pl.DataFrame(schema=QUARANTINE_SCHEMA)

    keyed = cells.select(
        "row_number",
        text(area_i).alias("area_name"),
        text(period_i).alias("period_code"),
        pl.concat_str([text(i) for i in range(len(labels))], separator=";").alias("_raw"),
        *(text(i).alias(f"d{i}") for i in dimensions),
        *(value(i).alias(f"v{i}") for i in measures),
    )
    area_map = _lookup_frame(
        keyed["area_name"].unique().to_list(),
        lambda name: _resolve_area(areas, name),
        {"area_name": pl.String(), "area_level": pl.String(), "municipality_code": pl.String()},
    )
    period_map = _lookup_frame(
        keyed["period_code"].unique().to_list(),
        _resolve_period,
        {
            "period_code": pl.String(),
            "period_type": pl.String(),
            "period_start": pl.Date(),
            "period_end": pl.Date(),
        },
    )
    dim_columns = [f"d{i}" for i in dimensions]
    if dim_columns:
        combos = keyed.select(dim_columns).unique()
        dims_json = [
            json.dumps(
                dict(zip([labels[i] for i in dimensions], combo, strict=True)),
                ensure_ascii=False,
                sort_keys=True,
            )
            for combo in combos.iter_rows()
        ]
        keyed = keyed.join(
            combos.with_columns(dimensions=pl.Series(dims_json, dtype=pl.String())),
            on=dim_columns,
            how="left",
            nulls_equal=True,
        )
    else:
        keyed = keyed.with_columns(dimensions=pl.lit("{}", pl.String()))
    joined = keyed.join(area_map, on="area_name", how="left").join(
        period_map, on="period_code", how="left"
    )

    unknown_area = joined.filter(pl.col("area_level").is_null())
    invalid_period = joined.filter(pl.col("period_type").is_null())
    problems = pl.concat(
        [
            _quarantine_rows(
                unknown_area,
                file_name=file_name,
                table_id=table_id,
                column=labels[area_i],
                reason="unknown_area",
                detail="ukendt område '{}'",
            ),
            _quarantine_rows(
                invalid_period,
                file_name=file_name,
                table_id=table_id,
                column=labels[period_i],
                reason="invalid_period",
                detail="ugyldig periode '{}'",
            ),
        ]
    )
    bad_rows = problems["row_number"].n_unique()
    good = joined.filter(pl.col("area_level").is_not_null() & pl.col("period_type").is_not_null())
    measure_names = {f"v{i}": labels[i] for i in measures}
    frame = (
        good.unpivot(
            on=list(measure_names),
            index=[
                "row_number",
                "area_name",
                "municipality_code",
                "area_level",
                "period_code",
                "period_type",
                "period_start",
                "period_end",
                "dimensions",
            ],
            variable_name="measure",
            value_name="value",
        )
        .with_columns(
            measure=pl.col("measure").replace_strict(measure_names, return_dtype=pl.String()),
            table_id=pl.lit(table_id, pl.String()),
            source_file=pl.lit(file_name, pl.String()),
            suppressed=pl.col("value").is_null(),
        )
        .select([pl.col(c).cast(t) for c, t in FACT_SCHEMA.items()] + [pl.col("row_number")])
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
    conn.execute(
        f"""CREATE TABLE IF NOT EXISTS {FILES_TABLE} (file_name VARCHAR PRIMARY KEY,
            sha256 VARCHAR NOT NULL, table_ids VARCHAR, loaded_at TIMESTAMP NOT NULL)"""
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

    A file whose content is the version in the store is `skipped`; a changed file replaces its
    own earlier facts and quarantine entries; a failed file leaves the warehouse as it was.
    Writes audit.quarantine and (with write_log) audit.load_log itself; returns the load-log
    rows either way."""
    create_store(conn)
    areas = areas or default_area_index()
    results: list[FileResult] = []
    changed = False
    for path in extract_files(folder):
        if progress:
            progress(f"jobindsats: {path.name}")
        sha = file_sha256(path)
        stored = _stored_version(conn, path.name)
        if stored is not None and stored[0] == sha:
            results.append(
                FileResult(path.name, SOURCE, stored[1], sha, "skipped", message="allerede indlæst")
            )
            continue
        try:
            extract = parse_extract(path, areas=areas)
        except JobindsatsFormatError as exc:
            register = table_id_from_file_name(path.name)
            results.append(FileResult(path.name, SOURCE, register, sha, "failed", message=str(exc)))
            continue
        _store_file(conn, path.name, sha, extract, previous=stored)
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


def _stored_version(conn: duckdb.DuckDBPyConnection, file_name: str) -> tuple | None:
    """(sha256, table ids) of the version of this file name that is in the store, if any."""
    return conn.execute(
        f"SELECT sha256, table_ids FROM {FILES_TABLE} WHERE file_name = ?", [file_name]
    ).fetchone()


def _store_file(
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
