"""Writing register CSVs in the dialects docs/domain.md §3.2 allows (separator, BOM, date format,
decimal comma, boolean spelling, header case, extra columns, CPR with or without dash)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl


@dataclass(frozen=True)
class Dialect:
    sep: str
    date_format: str
    decimal_comma: bool
    bools: tuple[str, str]
    bom: bool = False
    header: str = "plain"  # plain | upper | title_spaced
    extra_column: str | None = None  # an ignored column the ingest must skip
    cpr_dash_share: float = 0.3


ISO_COMMA = Dialect(",", "%Y-%m-%d", False, ("1", "0"))
DK_SEMI = Dialect(";", "%d-%m-%Y", True, ("ja", "nej"))
DOT_SEMI = Dialect(";", "%d.%m.%Y", True, ("true", "false"))


def header_name(column: str, style: str, position: int) -> str:
    if style == "upper":
        return column.upper()
    if style == "title_spaced":  # mixed case with stray spaces around the name
        name = column.title() if position % 2 else column.capitalize()
        return f" {name} " if position % 3 == 0 else name
    return column


def format_frame(
    frame: pl.DataFrame,
    dialect: Dialect,
    rng: np.random.Generator,
    *,
    cpr_columns: tuple[str, ...] = ("cpr",),
) -> pl.DataFrame:
    """Every column as text in the dialect (null stays null = empty cell)."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            exprs.append(col.dt.strftime(dialect.date_format))
        elif dtype == pl.Boolean:
            exprs.append(
                pl.when(col).then(pl.lit(dialect.bools[0])).otherwise(pl.lit(dialect.bools[1]))
            )
        elif dtype.is_float():
            text = col.round(2).cast(pl.String).str.replace(r"\.0$", "")
            exprs.append(
                text.str.replace(".", ",", literal=True) if dialect.decimal_comma else text
            )
        elif name in cpr_columns:
            dash = pl.Series(rng.random(frame.height) < dialect.cpr_dash_share)
            exprs.append(
                pl.when(dash).then(col.str.slice(0, 6) + "-" + col.str.slice(6)).otherwise(col)
            )
        else:
            exprs.append(col.cast(pl.String))
    return frame.select([e.alias(n) for e, n in zip(exprs, frame.columns, strict=True)])


def write_csv(text_frame: pl.DataFrame, path: Path, dialect: Dialect, rng) -> int:
    """Write an all-text frame; returns the number of data rows."""
    frame = text_frame
    if dialect.extra_column:
        noted = pl.Series(rng.random(frame.height) < 0.05)
        frame = frame.with_columns(
            pl.when(noted).then(pl.lit("rettet manuelt")).alias(dialect.extra_column)
        )
    renamed = {
        c: header_name(c, dialect.header, i) if c != dialect.extra_column else c
        for i, c in enumerate(frame.columns)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.rename(renamed).write_csv(
        path, separator=dialect.sep, include_bom=dialect.bom, null_value=""
    )
    return frame.height
