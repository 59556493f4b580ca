"""Great Expectations suites as code, and a small runner that validates one suite.

GX cannot validate DuckDB tables in place (its SQL metrics come back empty with duckdb-engine), so
each suite's rows are pulled into a pandas frame and validated there. One ephemeral GX context per
process is built lazily and reused: creating it costs more than validating a mart.

Severity follows dq-suite-amsterdam: a suite is `fatal` when it is blocking (the build stops) and
`warning` otherwise; inside a suite an expectation may carry GX's own `severity="warning"`, which
is reported but does not fail the suite.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ingest.cpr_mask import mask_cpr

if TYPE_CHECKING:  # pandas is imported where a suite is validated: the definitions need none
    import duckdb
    import pandas as pd

SAMPLE_ROWS = 5


@dataclass(frozen=True)
class Suite:
    """A named list of expectations on one table (or on the rows a `query` returns)."""

    name: str
    table: str  # "<schema>.<table>", e.g. "marts.fct_quota_status"
    expectations: Callable[[], list]  # returns GX 1.x expectation objects
    blocking: bool = True
    query: str | None = None  # replaces SELECT * FROM table, e.g. a query for violating rows
    description: str = ""

    @property
    def asset_key_path(self) -> list[str]:
        """The Dagster asset key of the table: its schema and name."""
        return self.table.split(".")

    @property
    def severity(self) -> str:
        return "fatal" if self.blocking else "warning"

    @property
    def sql(self) -> str:
        """The rows to validate: the query, or the table's columns the expectations name (a
        national mart pulled whole into pandas would take GBs outside DuckDB's memory limit)."""
        if self.query:
            return self.query
        columns = expectation_columns(self.expectations())
        if columns is None:
            return f"SELECT * FROM {self.table}"
        listed = ", ".join(f'"{name}"' for name in columns) or "1 AS row_present"
        return f"SELECT {listed} FROM {self.table}"


# The attributes GX column expectations name their columns by.
_COLUMN_FIELDS = ("column", "column_A", "column_B", "column_list")
# Table-level expectations that need rows but no column.
_ROW_ONLY = {"expect_table_row_count_to_equal", "expect_table_row_count_to_be_between"}


def expectation_columns(expectations: list) -> list[str] | None:
    """The columns a list of GX expectations reads, in first-named order; None when one of them
    needs every column (e.g. a table-columns expectation)."""
    columns: dict[str, None] = {}
    for expectation in expectations:
        named = False
        for field_name in _COLUMN_FIELDS:
            value = getattr(expectation, field_name, None)
            if isinstance(value, str):
                columns[value] = None
                named = True
            elif isinstance(value, list | tuple):
                columns.update(dict.fromkeys(value))
                named = True
        if not named and expectation.expectation_type not in _ROW_ONLY:
            return None
    return list(columns)


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation: pass percentage and a few failing rows, CPR-like digits masked."""

    expectation: str  # GX type, e.g. expect_column_values_to_be_between
    column: str | None
    success: bool
    severity: str  # critical | warning | info (GX's own levels)
    element_count: int | None
    unexpected_count: int | None
    pass_pct: float  # 100 − unexpected percent; table-level expectations are 100 or 0
    observed: str | None = None
    error: str | None = None
    sample_rows: list[dict[str, str | None]] = field(default_factory=list)

    def describe(self) -> str:
        target = f"{self.expectation}({self.column})" if self.column else self.expectation
        text = f"{target}: {self.pass_pct:.1f} % ok"
        if self.unexpected_count:
            text += f", {self.unexpected_count} afvigende rækker"
        if self.observed is not None:
            text += f", observeret {self.observed}"
        if self.error:
            text += f", fejl: {self.error}"
        return text


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    table: str
    success: bool
    blocking: bool
    row_count: int
    details: list[ExpectationOutcome]

    @property
    def severity(self) -> str:
        return "fatal" if self.blocking else "warning"

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [d for d in self.details if not d.success]

    def summary(self) -> str:
        state = "ok" if self.success else ("FEJL" if self.blocking else "advarsel")
        head = f"{self.suite} på {self.table}: {state} ({self.row_count} rækker)"
        return "\n".join([head, *(f"  - {d.describe()}" for d in self.failed)])


@functools.cache
def gx() -> Any:
    """great_expectations, imported on first use (~2 s): the definitions (suite lists, asset
    checks) load without it, and so does every process that validates nothing."""
    import great_expectations

    return great_expectations


def no_rows() -> list:
    """The suite of a consistency view: it lists violations, so it must be empty."""
    return [gx().expectations.ExpectTableRowCountToEqual(value=0)]


_VALIDATOR: Any = None


def _batch_definition() -> Any:
    """The process-wide GX batch definition over an in-memory pandas frame (built once)."""
    global _VALIDATOR
    if _VALIDATOR is None:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        logging.getLogger("great_expectations").setLevel(logging.WARNING)
        context = gx().get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = context.data_sources.add_pandas("rummelig").add_dataframe_asset("frames")
        _VALIDATOR = asset.add_batch_definition_whole_dataframe("whole_frame")
    return _VALIDATOR


def _text(value: Any) -> str | None:
    import pandas as pd

    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return mask_cpr(str(value))


def _sample(frame: pd.DataFrame, index: list) -> list[dict[str, str | None]]:
    rows = frame.loc[[i for i in index if i in frame.index][:SAMPLE_ROWS]]
    return [{col: _text(v) for col, v in row.items()} for _, row in rows.iterrows()]


def _outcome(result: Any, frame: pd.DataFrame) -> ExpectationOutcome:
    config = result.expectation_config
    payload = result.result or {}
    severity = getattr(config.severity, "value", str(config.severity or "critical"))
    error = None
    if result.exception_info and result.exception_info.get("raised_exception"):
        error = str(result.exception_info.get("exception_message"))
    percent = payload.get("unexpected_percent")
    if percent is None:  # table-level expectation, or an empty frame
        pass_pct = 100.0 if result.success else 0.0
    else:
        pass_pct = round(100.0 - float(percent), 4)
    observed = payload.get("observed_value")
    if "unexpected_index_list" in payload or "partial_unexpected_index_list" in payload:
        sample = _sample(frame, payload.get("partial_unexpected_index_list") or [])
    elif not result.success and len(frame):  # e.g. a query of violating rows expected to be empty
        sample = _sample(frame, list(frame.index))
    else:
        sample = []
    return ExpectationOutcome(
        expectation=config.type,
        column=config.kwargs.get("column"),
        success=bool(result.success),
        severity=severity,
        element_count=payload.get("element_count"),
        unexpected_count=payload.get("unexpected_count"),
        pass_pct=pass_pct,
        observed=None if observed is None else mask_cpr(str(observed)),
        error=mask_cpr(error),
        sample_rows=sample,
    )


def validate_frame(frame: pd.DataFrame, suite: Suite) -> SuiteResult:
    """Validate an already pulled frame (also handy in tests)."""
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    gx_suite = gx().ExpectationSuite(name=suite.name, expectations=suite.expectations())
    result = batch.validate(
        gx_suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 20}
    )
    details = [_outcome(r, frame) for r in result.results]
    success = all(d.success for d in details if d.severity == "critical")
    return SuiteResult(
        suite=suite.name,
        table=suite.table,
        success=success,
        blocking=suite.blocking,
        row_count=len(frame),
        details=details,
    )


def fetch_frame(conn: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """The rows of `sql` as the pandas frame DuckDB's own `.df()` gives (same dtypes), fetched
    through Arrow: `.df()` of a national mart (6.6 M rows) peaks at 3 GiB for a 0.5 GiB frame,
    Arrow at a third of that and in a tenth of the time."""
    import pyarrow as pa

    table = conn.sql(sql).arrow()
    if isinstance(table, pa.RecordBatchReader):  # DuckDB ≥ 1.4 streams; read it whole
        table = table.read_all()
    names = table.column_names
    columns, masked, strings = [], {}, []
    for name, column in zip(names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_date(kind):  # .df(): datetime64[us]; Arrow alone: datetime.date objects
            column = column.cast(pa.timestamp("us"))
        elif pa.types.is_decimal(kind):  # .df(): float64; Arrow alone: Decimal objects
            column = column.cast(pa.float64())
        elif (pa.types.is_integer(kind) or pa.types.is_boolean(kind)) and column.null_count:
            masked[name] = column  # .df(): Int64/boolean with NA; Arrow alone: float64/object
        elif pa.types.is_string(kind):
            strings.append(name)
        columns.append(column)
    table = pa.table(columns, names=names)
    del columns
    # self_destruct frees each Arrow column once converted: the two copies never coexist whole
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    for name, column in masked.items():
        frame[name] = pa.table({name: column}).to_pandas(types_mapper=_masked_dtype)[name]
    if not len(frame) and strings:  # .df() gives an empty text column as object
        frame = frame.astype(dict.fromkeys(strings, object))
    return frame


def _masked_dtype(kind: Any) -> Any:
    """pandas' NA-able dtype of an Arrow integer or boolean type (None: the default)."""
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_boolean(kind):
        return pd.BooleanDtype()
    if pa.types.is_integer(kind):
        return pd.api.types.pandas_dtype(str(kind).replace("int", "Int").replace("uInt", "UInt"))
    return None


def validate(conn: duckdb.DuckDBPyConnection, suite: Suite) -> SuiteResult:
    """Run one suite on the rows of its table (or query), pulled from DuckDB into pandas."""
    return validate_frame(fetch_frame(conn, suite.sql), suite)
