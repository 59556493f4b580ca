"""Every dbt node as a Dagster asset; one `dbt build` per run, on the warehouse's own file."""

from datetime import date
from pathlib import Path

from dagster import AssetExecutionContext, Failure
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.project import dbt_project, dbt_vars
from orchestration.resources import LandingResource
from orchestration.translator import RummeligTranslator
from orchestration.warehouse import dbt_target_path


def dbt_build_args(as_of: date, database: Path) -> list[str]:
    """`dbt build` arguments for one run (pure; dagster-dbt adds the selection).

    dbt unit tests check SQL logic on fixed inputs, not the data: they run in `make test`, not in
    every warehouse build (they were a third of the demo's dbt time).
    """
    return ["build", "--vars", dbt_vars(as_of, database), "--exclude-resource-type", "unit_test"]


def failed_nodes(run_results: dict) -> list[str]:
    """Readable lines for the nodes dbt reports as error/fail (from run_results.json)."""
    return [
        f"{r['unique_id']}: {r['status']} — {(r.get('message') or '').strip()}"
        for r in run_results.get("results", [])
        if r.get("status") in ("error", "fail", "runtime error")
    ]


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=RummeligTranslator(),
)
def dbt_models(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: DuckDBResource,
    landing: LandingResource,
):
    database = Path(warehouse.database)
    invocation = dbt.cli(
        dbt_build_args(landing.as_of_date, database),
        context=context,
        target_path=dbt_target_path(database),
        raise_on_error=False,
    )
    try:
        yield from invocation.stream()
    finally:  # never leave a dbt process behind holding the DuckDB file lock
        if invocation.process.poll() is None:
            invocation.process.terminate()
            invocation.process.wait(timeout=60)
    if not invocation.is_successful():
        try:
            lines = failed_nodes(invocation.get_artifact("run_results.json"))
        except (OSError, ValueError):  # no run_results: dbt failed before running
            lines = []
        raise Failure(
            description="dbt build fejlede: " + ("; ".join(lines) or "se dbt-loggen"),
            metadata={"failed_nodes": "\n".join(lines)},
        )
