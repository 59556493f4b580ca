"""An independent reader of a landing folder for the generator's tests.

It does not use synthetic/ or ingest/: it sniffs the separator, strips a BOM, normalises header
names, parses the three date formats and decimal commas, and applies later-file-wins.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

KEYS = {
    "org_units": "org_unit_id",
    "engagements": "engagement_id",
    "absences": "absence_id",
    "placements": "placement_id",
    "sdp_cases": "case_id",
    "sdp_events": "event_id",
}
BAD_BEGIN, BAD_END = "BEGIN BAD ROWS", "END BAD ROWS"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def read_file(path: Path) -> pl.DataFrame:
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    frame = pl.read_csv(path, separator=sep, infer_schema=False, encoding="utf8-lossy")
    frame = frame.rename({c: c.lstrip("\ufeff").strip().lower() for c in frame.columns})
    return frame.with_columns(
        _file=pl.lit(f"registers/{path.name}"), _row=pl.int_range(1, pl.len() + 1)
    )


def read_register(folder: Path, register: str) -> pl.DataFrame:
    files = sorted((folder / "registers").glob(f"{register}_*.csv"))
    assert files, f"no {register} files"
    return pl.concat([read_file(f) for f in files], how="diagonal")


def bad_rows(folder: Path) -> pl.DataFrame:
    lines = (folder / "README.txt").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index(BAD_BEGIN) + 1 : lines.index(BAD_END)]
    header = block[0].split(";")
    return pl.DataFrame([dict(zip(header, line.split(";"), strict=True)) for line in block[1:]])


def final_rows(folder: Path, register: str) -> pl.DataFrame:
    """The register after de-duplication (later file wins), without the listed bad rows."""
    frame = read_register(folder, register)
    bad = bad_rows(folder).filter(pl.col("register") == register)
    bad_cells = set(zip(bad["file"], bad["row_number"].cast(pl.Int64), strict=True))
    keep = [(f, r) not in bad_cells for f, r in zip(frame["_file"], frame["_row"], strict=True)]
    frame = frame.filter(pl.Series(keep))
    return frame.unique(KEYS[register], keep="last", maintain_order=True)


def to_date(column: str) -> pl.Expr:
    c = pl.col(column)
    return pl.coalesce(
        c.str.to_date("%Y-%m-%d", strict=False),
        c.str.to_date("%d-%m-%Y", strict=False),
        c.str.to_date("%d.%m.%Y", strict=False),
    ).alias(column)


def to_number(column: str) -> pl.Expr:
    return pl.col(column).str.replace(",", ".", literal=True).cast(pl.Float64).alias(column)


def to_bool(column: str) -> pl.Expr:
    c = pl.col(column).str.to_lowercase()
    return (
        pl.when(c.is_in(["1", "ja", "true"]))
        .then(True)
        .when(c.is_in(["0", "nej", "false"]))
        .then(False)
        .alias(column)
    )


def cpr_is_valid(cpr: str) -> bool:
    """docs/domain.md §7, written independently of synthetic/cpr.py."""
    digits = cpr.replace("-", "", 1) if len(cpr) == 11 and cpr[6] == "-" else cpr
    if len(digits) != 10 or not digits.isdigit():
        return False
    dd, mm, yy, d7 = int(digits[:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if d7 <= 3:
        century = 1900
    elif d7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        date(century + yy, mm, dd)
    except ValueError:
        return False
    return True


def birth_date(cpr: str) -> date:
    digits = cpr.replace("-", "")
    yy, d7 = int(digits[4:6]), int(digits[6])
    century = (
        1900
        if d7 <= 3
        else (2000 if yy <= (36 if d7 in (4, 9) else 57) else (1900 if d7 in (4, 9) else 1800))
    )
    return date(century + yy, int(digits[2:4]), int(digits[:2]))
