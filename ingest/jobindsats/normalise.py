"""One jobindsats.dk extract → long normalised facts (docs/domain.md §5.7, E19–E21), column-wise.

Cells are split into text and number series and parsed in polars; areas, periods and dimension
combinations are resolved once per distinct value. Rows with an unknown area or an invalid period
become quarantine entries; the same cell twice keeps the later row (and a warning).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from ingest.audit import QUARANTINE_SCHEMA
from ingest.cpr_mask import mask_cpr, mask_cpr_expr
from ingest.jobindsats.areas import AreaIndex, default_area_index
from ingest.jobindsats.formats import (
    JobindsatsFormatError,
    RawTable,
    column_role,
    read_tables,
    table_id_from_file_name,
)
from ingest.jobindsats.periods import parse_period
from ingest.jobindsats.values import (
    as_text,
    cell_value,
    clean_text,
    is_suppressed_mark,
    split_cells,
)

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


def parse_extract_bytes(
    file_name: str, data: bytes, *, areas: AreaIndex | None = None
) -> ExtractResult:
    """One extract, parsed. Raises JobindsatsFormatError "<file>: <reason>" for an unusable
    file (the load log and the build summary show the message as it is)."""
    try:
        return _parse(file_name, data, areas or default_area_index())
    except JobindsatsFormatError as exc:
        raise JobindsatsFormatError(f"{file_name}: {exc}") from exc


def _parse(file_name: str, data: bytes, areas: AreaIndex) -> ExtractResult:
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
    bad: pl.DataFrame, *, file_name: str, table_id: str, column: str, reason: str, value: str
) -> pl.DataFrame:
    """One error entry per row in `bad`: `reason`, and the offending `value` column quoted."""
    detail = {"unknown_area": "ukendt område '{}'", "invalid_period": "ugyldig periode '{}'"}
    return bad.select(
        file_name=pl.lit(file_name, pl.String()),
        register=pl.lit(table_id, pl.String()),
        row_number=pl.col("row_number"),
        column_name=pl.lit(column, pl.String()),
        severity=pl.lit("error", pl.String()),
        reason=pl.lit(reason, pl.String()),
        detail=pl.format(detail[reason], pl.col(value)),
        row_masked=mask_cpr_expr(pl.col("_raw")),
    )


def _cells_frame(table: RawTable, row_offset: int) -> pl.DataFrame:
    """Column i of the extract as `t{i}` (clean text cells) and `n{i}` (number cells)."""
    data: dict[str, list] = {}
    schema: dict[str, pl.DataType] = {}
    for i in range(len(table.columns)):
        data[f"t{i}"], data[f"n{i}"] = split_cells([row[i] for row in table.rows])
        schema[f"t{i}"], schema[f"n{i}"] = pl.String(), pl.Float64()
    return (
        pl.DataFrame(data, schema=schema)
        .with_columns(clean_text(pl.col(f"t{i}")) for i in range(len(table.columns)))
        .with_row_index("row_number", offset=row_offset + 1)
        .with_columns(pl.col("row_number").cast(pl.Int64()))
    )


def _text(i: int) -> pl.Expr:
    return as_text(pl.col(f"t{i}"), pl.col(f"n{i}"))


def _value(i: int) -> pl.Expr:
    return cell_value(pl.col(f"t{i}"), pl.col(f"n{i}"))


def _measure_columns(cells: pl.DataFrame, candidates: list[int]) -> list[int]:
    """E19: a measure column holds only numbers and suppression marks, and at least one number."""
    stats = cells.select(
        *(
            (_value(i).is_not_null() | is_suppressed_mark(pl.col(f"t{i}"), pl.col(f"n{i}")))
            .all()
            .alias(f"only{i}")
            for i in candidates
        ),
        *(_value(i).is_not_null().any().alias(f"any{i}") for i in candidates),
    ).row(0, named=True)
    return [i for i in candidates if stats[f"only{i}"] and stats[f"any{i}"]]


def _with_dimensions_json(keyed: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """`dimensions` = JSON object {label: value} with sorted keys, one dumps per combination."""
    if not labels:
        return keyed.with_columns(dimensions=pl.lit("{}", pl.String()))
    columns = list(labels)
    combos = keyed.select(columns).unique()
    texts = [
        json.dumps(
            dict(zip(labels.values(), combo, strict=True)), ensure_ascii=False, sort_keys=True
        )
        for combo in combos.iter_rows()
    ]
    combos = combos.with_columns(dimensions=pl.Series(texts, dtype=pl.String()))
    return keyed.join(combos, on=columns, how="left", nulls_equal=True)


def _normalise(
    table: RawTable, *, table_id: str, file_name: str, areas: AreaIndex, row_offset: int
) -> tuple[pl.DataFrame, int, pl.DataFrame]:
    """Split columns (E19), resolve areas (E21) and periods, parse values (E20) — column-wise.
    Returns (facts, rows quarantined, quarantine entries)."""
    roles = [column_role(c) for c in table.columns]
    if "area" not in roles:
        raise JobindsatsFormatError("kolonnen Område (Area) mangler")
    if "period" not in roles:
        raise JobindsatsFormatError("kolonnen Periode (Period/Tid) mangler")
    area_i, period_i = roles.index("area"), roles.index("period")
    # Labels and dimension values are stored: a CPR in them is masked (ingest/cpr_mask.py).
    labels = [mask_cpr(c.label) or "" for c in table.columns]
    others = [i for i, role in enumerate(roles) if role is None]
    if len({labels[i] for i in others}) != len(others):
        raise JobindsatsFormatError("to kolonner har samme navn")
    cells = _cells_frame(table, row_offset)
    measures = _measure_columns(cells, others)
    if table.rows and not measures:
        raise JobindsatsFormatError("ingen målingskolonner (kolonner med tal) fundet")
    if not table.rows:
        return _empty_facts(), 0, pl.DataFrame(schema=QUARANTINE_SCHEMA)
    dimensions = sorted((i for i in others if i not in measures), key=lambda i: labels[i])

    keyed = cells.select(
        "row_number",
        _text(area_i).alias("area_name"),
        _text(period_i).alias("period_code"),
        pl.concat_str([_text(i) for i in range(len(labels))], separator=";").alias("_raw"),
        *(mask_cpr_expr(_text(i)).alias(f"d{i}") for i in dimensions),
        *(_value(i).alias(f"v{i}") for i in measures),
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
    joined = (
        _with_dimensions_json(keyed, {f"d{i}": labels[i] for i in dimensions})
        .join(area_map, on="area_name", how="left")
        .join(period_map, on="period_code", how="left")
    )

    # (resolved column that is null when the row is bad, reason, extract column, its cell)
    checks = [
        ("area_level", "unknown_area", labels[area_i], "area_name"),
        ("period_type", "invalid_period", labels[period_i], "period_code"),
    ]
    problems = pl.concat(
        _quarantine_rows(
            joined.filter(pl.col(resolved).is_null()),
            file_name=file_name,
            table_id=table_id,
            column=column,
            reason=reason,
            value=value,
        )
        for resolved, reason, column, value in checks
    )
    good = joined.filter(pl.col("area_level").is_not_null() & pl.col("period_type").is_not_null())
    measure_names = {f"v{i}": labels[i] for i in measures}
    index = [c for c in FACT_COLUMNS if c in good.columns] + ["row_number"]
    facts = (
        good.unpivot(
            on=list(measure_names), index=index, variable_name="measure", value_name="value"
        )
        .with_columns(
            measure=pl.col("measure").replace_strict(measure_names, return_dtype=pl.String()),
            table_id=pl.lit(table_id, pl.String()),
            source_file=pl.lit(file_name, pl.String()),
            suppressed=pl.col("value").is_null(),
        )
        .select([pl.col(c).cast(t) for c, t in FACT_SCHEMA.items()] + [pl.col("row_number")])
    )
    return facts, problems["row_number"].n_unique(), problems


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
