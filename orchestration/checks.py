"""Great Expectations suites (expectations/suites/) as Dagster asset checks.

One check per suite on the asset of its table; blocking suites stop everything downstream when
they fail. Suites whose table has no asset (a mart not built yet) are left out, not an error.

The checks of one schema (raw, marts) run as one step, a multi-asset check: one DuckDB
connection for them all and one step's events in the run, instead of a step per suite (~50 ms of
Dagster each, more than most suites take). The suites are validated in the build's GX process
(orchestration/gx_worker.py) when it has one. A suite that raises does not take the others with
it: every other check still reports, then the step fails naming it.
"""

from collections import defaultdict
from collections.abc import Iterable

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    Failure,
    MetadataValue,
    multi_asset_check,
)
from dagster_duckdb import DuckDBResource

from expectations.core import Suite, SuiteResult
from orchestration.gx_worker import SuiteError, validate_suites

# What a progress line calls the checks of a schema (orchestration/progress.py).
SCHEMA_LABELS = {"raw": "rådata", "marts": "datamodellerne"}


def check_step(schema: str) -> str:
    """The step (op) name of a schema's checks."""
    return f"gx_checks_{schema}"


def check_metadata(result: SuiteResult) -> dict:
    """Per-expectation pass percentages and a few masked failing rows, for the UI and the CLI."""
    metadata: dict = {
        "rows": result.row_count,
        "severity": result.severity,
        "failed_expectations": len(result.failed),
    }
    for detail in result.details:
        label = f"{detail.expectation}({detail.column})" if detail.column else detail.expectation
        metadata[f"pass_pct · {label}"] = MetadataValue.float(detail.pass_pct)
    if result.failed:
        metadata["summary"] = MetadataValue.md(
            "\n".join(f"- {d.describe()}" for d in result.failed)
        )
        samples = [row for d in result.failed for row in d.sample_rows][:5]
        metadata["sample_rows"] = MetadataValue.json(samples)
    return metadata


def _spec(suite: Suite) -> AssetCheckSpec:
    return AssetCheckSpec(
        name=suite.name,
        asset=AssetKey(suite.asset_key_path),
        description=suite.description or None,
        blocking=suite.blocking,
    )


def _schema_checks(schema: str, suites: list[Suite]) -> AssetChecksDefinition:
    by_name = {suite.name: suite for suite in suites}

    @multi_asset_check(
        specs=[_spec(suite) for suite in suites],
        name=check_step(schema),
        description=f"GX-kontrollerne af {schema}.*",
        can_subset=True,  # a run of part of the graph (the jobindsats sensor) checks its part
    )
    def _checks(context: AssetCheckExecutionContext, warehouse: DuckDBResource):
        selected = {key.name for key in context.selected_asset_check_keys}
        names = [name for name in by_name if name in selected]
        results = validate_suites(warehouse.database, warehouse.connection_config, names)
        errors = []
        for name, result in zip(names, results, strict=True):
            suite = by_name[name]
            if isinstance(result, SuiteError):
                context.log.error(f"{name}: {result.details}")
                errors.append(f"{name}: {result.message}")
                continue
            if not result.success:
                context.log.warning(result.summary())
            yield AssetCheckResult(
                asset_key=AssetKey(suite.asset_key_path),
                check_name=name,
                passed=result.success,
                severity=AssetCheckSeverity.ERROR if suite.blocking else AssetCheckSeverity.WARN,
                metadata=check_metadata(result),
            )
        if errors:
            raise Failure(description="GX-kontrol kunne ikke køre: " + "; ".join(errors))

    return _checks


def suite_checks(suites: Iterable[Suite], asset_keys: set[AssetKey]) -> list:
    """One multi-asset check per schema, over the suites whose table is an asset."""
    by_schema: dict[str, list[Suite]] = defaultdict(list)
    for suite in suites:
        if AssetKey(suite.asset_key_path) in asset_keys:
            by_schema[suite.asset_key_path[0]].append(suite)
    return [_schema_checks(schema, listed) for schema, listed in by_schema.items()]
