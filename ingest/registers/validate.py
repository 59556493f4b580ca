"""Column-wise validation of one batch of a register file (docs/domain.md §3.2, §3.3, E1, E1a).

Every check is a polars expression over the whole batch; no Python loop over rows. The result is
the typed rows that load (CPR already replaced by person_key and birth_date) and one quarantine
entry per problem: `error` = row not loaded, `warning` = cell nulled, row loaded.

A row that cannot be split into the header's cells (csv_reader's `_structure`) gets that one
error and no other check. CPRs outside the CPR column (docs/domain.md §7): a CPR in free text is
masked before storage (`cpr_in_text`), a CPR in a key column is replaced by a pseudonym
(`cpr_in_key`), both as warnings; quarantine details are masked where they are written
(ingest/audit.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ingest.audit import QUARANTINE_SCHEMA
from ingest.cpr_mask import has_cpr_expr, mask_cpr_expr
from ingest.pseudonym import (
    cpr_birth_date,
    cpr_digits,
    person_keys,
    pseudonymise_cpr_ids,
)
from ingest.registers.csv_reader import (
    FIELD_COUNT,
    ROW_NUMBER,
    STRUCTURE,
    CsvFile,
    header_width,
    masked_row,
)
from ingest.registers.specs import Col, RegisterSpec

TRUE_WORDS = {"1": True, "ja": True, "true": True, "0": False, "nej": False, "false": False}
DATE_FORMATS = (
    (r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d"),
    (r"^\d{1,2}-\d{1,2}-\d{4}$", "%d-%m-%Y"),
    (r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y"),
)
DECIMAL_PATTERN = r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$"
INVALID_REASON = {
    "date": "invalid_date",
    "code": "unknown_code",
    "category": "unknown_code",
    "decimal": "invalid_number",
    "bool": "invalid_boolean",
    "cpr": "invalid_cpr",
    "p_number": "invalid_p_number",
}


@dataclass(frozen=True)
class Problem:
    condition: pl.Expr
    column: str | None  # None: the row as a whole
    severity: pl.Expr  # "error" | "warning"
    reason: str
    detail: pl.Expr


@dataclass(frozen=True)
class BatchResult:
    rows: pl.DataFrame  # typed register columns (no cpr) + _row_number
    quarantine: pl.DataFrame  # QUARANTINE_SCHEMA
    error_rows: int


def _value(name: str) -> str:
    return f"__v_{name}"


def _parsed(name: str) -> str:
    return f"__p_{name}"


def _parse(col: Col, value: pl.Expr) -> pl.Expr:
    if col.kind == "code":
        return value.str.to_lowercase().replace_strict(
            {c.lower(): c for c in col.codes}, default=None, return_dtype=pl.String
        )
    if col.kind == "category":
        return value.replace_strict(
            {c: int(c) for c in col.codes}, default=None, return_dtype=pl.Int32
        )
    if col.kind == "date":
        return pl.coalesce(
            [
                pl.when(value.str.contains(pattern)).then(value.str.to_date(fmt, strict=False))
                for pattern, fmt in DATE_FORMATS
            ]
        )
    if col.kind == "decimal":
        number = value.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        return pl.when(value.str.contains(DECIMAL_PATTERN)).then(number)
    if col.kind == "bool":
        return value.str.to_lowercase().replace_strict(
            TRUE_WORDS, default=None, return_dtype=pl.Boolean
        )
    if col.kind == "p_number":
        return pl.when(value.str.contains(r"^\d{10}$")).then(value)
    if col.kind == "cpr":
        digits = cpr_digits(value)
        return pl.when(cpr_birth_date(digits).is_not_null()).then(digits)
    if col.kind == "text":
        return mask_cpr_expr(value)
    return value


def _out_of_range(col: Col, parsed: pl.Expr) -> pl.Expr | None:
    conditions = []
    if col.low_exclusive is not None:
        conditions.append(parsed <= col.low_exclusive)
    if col.high_inclusive is not None:
        conditions.append(parsed > col.high_inclusive)
    if not conditions:
        return None
    return parsed.is_not_null() & pl.any_horizontal(conditions)


def _range_text(col: Col) -> str:
    low = "" if col.low_exclusive is None else f"{col.low_exclusive:g} < "
    high = "" if col.high_inclusive is None else f" ≤ {col.high_inclusive:g}"
    return f"{low}{col.name}{high}"


def _invalid_detail(col: Col, value: pl.Expr) -> pl.Expr:
    if col.kind == "cpr":
        # Never the full number: the first six characters only, as in the masked row.
        return pl.format("cpr: ugyldigt CPR-nummer '{}-****'", value.str.slice(0, 6))
    text = {
        "date": "er ikke en gyldig dato (ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)",
        "code": f"er ikke en kendt kode (tilladt: {', '.join(col.codes)})",
        "category": "er ikke en kendt kategori (tilladt: 1, 2, 3)",
        "decimal": "er ikke et tal",
        "bool": "er ikke en sandhedsværdi (1/0, ja/nej, true/false)",
        "p_number": "er ikke et P-nummer på 10 cifre",
    }[col.kind]
    return pl.format(f"{col.name}: '{{}}' {text}", value)


def _severity(col: Col, spec: RegisterSpec) -> pl.Expr:
    if col.required or col.strict:
        return pl.lit("error")
    if spec.name == "absences" and col.name == "hours":
        # hours is required for partial sickness (docs/domain.md §3.3)
        return (
            pl.when(pl.col(_parsed("cause")) == "delvis_sygdom")
            .then(pl.lit("error"))
            .otherwise(pl.lit("warning"))
        )
    return pl.lit("warning")


def _problems(spec: RegisterSpec) -> list[Problem]:
    problems: list[Problem] = []
    for col in spec.columns:
        value, parsed = pl.col(_value(col.name)), pl.col(_parsed(col.name))
        severity = _severity(col, spec)
        if col.required:
            problems.append(
                Problem(
                    value.is_null(),
                    col.name,
                    severity,
                    "missing_required",
                    pl.lit(f"{col.name}: påkrævet værdi mangler"),
                )
            )
        if col.kind in INVALID_REASON:
            problems.append(
                Problem(
                    _invalid(col.name),
                    col.name,
                    severity,
                    INVALID_REASON[col.kind],
                    _invalid_detail(col, value),
                )
            )
        out_of_range = _out_of_range(col, parsed)
        if out_of_range is not None:
            problems.append(
                Problem(
                    out_of_range,
                    col.name,
                    severity,
                    "out_of_range",
                    pl.format(f"{col.name}: {{}} er uden for {_range_text(col)}", value),
                )
            )
        if col.kind == "text":
            problems.append(
                Problem(
                    has_cpr_expr(value),
                    col.name,
                    pl.lit("warning"),
                    "cpr_in_text",
                    pl.lit(
                        f"{col.name}: indeholder et CPR-nummer; det er gemt maskeret (DDMMYY-****)"
                    ),
                )
            )
        if col.kind == "id":
            problems.append(
                Problem(
                    has_cpr_expr(value),
                    col.name,
                    pl.lit("warning"),
                    "cpr_in_key",
                    pl.lit(
                        f"{col.name}: indeholder et CPR-nummer; værdien er gemt som et pseudonym "
                        "(pseudonym-…), så CPR-nummeret ikke gemmes"
                    ),
                )
            )
    if spec.name == "absences":
        problems.append(
            Problem(
                (pl.col(_parsed("cause")) == "delvis_sygdom") & pl.col(_value("hours")).is_null(),
                "hours",
                pl.lit("error"),
                "missing_required",
                pl.lit("hours: påkrævet for delvis_sygdom, men mangler"),
            )
        )
    if spec.name == "placements":
        # §3.3: a placement without weekly_hours counts as full time "(and a data-quality
        # warning)"; the cell is already empty, so the row loads as it is.
        problems.append(
            Problem(
                pl.col(_value("weekly_hours")).is_null(),
                "weekly_hours",
                pl.lit("warning"),
                "missing_hours",
                pl.lit("weekly_hours: mangler; placeringen regnes som fuld tid (1 årsværk)"),
            )
        )
    for start, end in spec.date_pairs:
        problems.append(
            Problem(
                pl.col(_parsed(end)) < pl.col(_parsed(start)),
                end,
                pl.lit("error"),
                "end_before_start",
                pl.format(
                    f"{end} {{}} ligger før {start} {{}}",
                    pl.col(_parsed(end)),
                    pl.col(_parsed(start)),
                ),
            )
        )
    return problems


def _structure_problems(csv: CsvFile) -> list[Problem]:
    """A line that cannot be split into the header's cells: one error, nothing else checked."""
    fields, width = pl.col(FIELD_COUNT), header_width(csv.columns)
    details = {
        "unbalanced_quote": pl.lit(
            'et citationstegn (") lukkes ikke på samme linje; en celle kan ikke gå over flere '
            "linjer, så rækken er ikke indlæst"
        ),
        "truncated_row": pl.format(
            f"rækken har {{}} felter, men overskriften har {width}; rækken er afkortet (filen kan "
            "være skåret af) og er ikke indlæst",
            fields,
        ),
        "too_many_fields": pl.format(
            f"rækken har {{}} felter, men overskriften har {len(csv.columns)}, og de ekstra "
            "felter har indhold (et skilletegn i en celle uden citationstegn?)",
            fields,
        ),
    }
    return [
        Problem(pl.col(STRUCTURE) == reason, None, pl.lit("error"), reason, detail)
        for reason, detail in details.items()
    ]


def _invalid(name: str) -> pl.Expr:
    return pl.col(_value(name)).is_not_null() & pl.col(_parsed(name)).is_null()


def _nulled(col: Col, spec: RegisterSpec) -> pl.Expr:
    """The loaded value: warnings null the cell; an empty s56 means false (E13)."""
    parsed = pl.col(_parsed(col.name))
    out_of_range = _out_of_range(col, parsed)
    if out_of_range is not None:
        parsed = pl.when(~out_of_range).then(parsed)
    if spec.name == "org_units" and col.name == "inclusion_approved_from":
        # An unreadable approval end must not become an open-ended approval (cf. E1a): the
        # whole approval period is dropped, so the unit counts as not approved.
        parsed = pl.when(~_invalid("inclusion_approved_to")).then(parsed)
    if col.kind == "bool":
        parsed = parsed.fill_null(False)
    return parsed.alias(col.name)


def validate_batch(
    batch: pl.DataFrame, spec: RegisterSpec, csv: CsvFile, file_name: str, key: bytes
) -> BatchResult:
    present = set(csv.columns)
    values = [
        (
            pl.col(c.name).str.strip_chars().replace("", None)
            if c.name in present
            else pl.lit(None, pl.String)
        ).alias(_value(c.name))
        for c in spec.columns
    ]
    frame = batch.with_columns(values)
    frame = frame.with_columns(
        [_parse(c, pl.col(_value(c.name))).alias(_parsed(c.name)) for c in spec.columns]
    )
    well_formed = pl.col(STRUCTURE).is_null()
    problems = [
        Problem(p.condition & well_formed, p.column, p.severity, p.reason, p.detail)
        for p in _problems(spec)
    ] + _structure_problems(csv)
    is_error = pl.any_horizontal(
        [(p.condition & (p.severity == "error")).fill_null(False) for p in problems]
    )
    frame = frame.with_columns(is_error.alias("__error"))

    flagged = frame.filter(
        pl.any_horizontal([p.condition.fill_null(False) for p in problems])
    ).with_columns(masked_row().alias("__row_masked"))
    quarantine = pl.concat(
        [
            flagged.filter(p.condition.fill_null(False)).select(
                pl.lit(file_name).alias("file_name"),
                pl.lit(spec.name).alias("register"),
                pl.col(ROW_NUMBER).cast(pl.Int64).alias("row_number"),
                pl.lit(p.column, pl.String).alias("column_name"),
                p.severity.alias("severity"),
                pl.lit(p.reason).alias("reason"),
                p.detail.alias("detail"),
                pl.col("__row_masked").alias("row_masked"),
            )
            for p in problems
        ]
    ).select([pl.col(c).cast(t) for c, t in QUARANTINE_SCHEMA.items()])

    good = frame.filter(~pl.col("__error"))
    rows = good.select(
        [_nulled(c, spec) for c in spec.columns] + [pl.col(ROW_NUMBER).cast(pl.Int32)]
    )
    for col in spec.columns:
        if col.kind == "id":
            rows = rows.with_columns(pseudonymise_cpr_ids(rows[col.name], key))
    if "cpr" in rows.columns:
        # The CPR column is dropped here, before any frame reaches DuckDB (docs/domain.md §7).
        rows = rows.with_columns(
            person_keys(rows["cpr"], key).alias("person_key"),
            cpr_birth_date(pl.col("cpr")).alias("birth_date"),
        ).drop("cpr")
    return BatchResult(rows, quarantine, frame.height - good.height)
