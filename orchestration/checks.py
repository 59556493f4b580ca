"""Great Expectations suites (expectations/suites/) as Dagster asset checks.

One check per suite on the asset of its table; blocking suites stop everything downstream when
they fail. Suites whose table has no asset (a mart not built yet) are left out, not an error.
"""

from collections.abc import Iterable

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)
from dagster_duckdb import DuckDBResource

from expectations.core import Suite, SuiteResult
from orchestration.resources import connect


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


def _suite_check(suite: Suite) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey(suite.asset_key_path),
        name=suite.name,
        description=suite.description or None,
        blocking=suite.blocking,
    )
    def _check(context: AssetCheckExecutionContext, warehouse: DuckDBResource):
        from expectations.core import validate

        with connect(warehouse) as conn:
            result = validate(conn, suite)
        if not result.success:
            context.log.warning(result.summary())
        return AssetCheckResult(
            passed=result.success,
            severity=AssetCheckSeverity.ERROR if suite.blocking else AssetCheckSeverity.WARN,
            metadata=check_metadata(result),
        )

    return _check


def suite_checks(suites: Iterable[Suite], asset_keys: set[AssetKey]) -> list:
    return [_suite_check(s) for s in suites if AssetKey(s.asset_key_path) in asset_keys]
