"""Every dbt node as a Dagster asset; one `dbt build` per run, on the warehouse's own file."""

import contextlib
import io
import json
import os
import sys
from datetime import date

from dagster import AssetExecutionContext, Failure
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.manifest import MANIFEST_PATH
from orchestration.resources import WarehouseResource
from orchestration.translator import RummeligTranslator


def dbt_build_args(as_of: date) -> list[str]:
    """`dbt build` arguments for one run (pure; dagster-dbt adds the selection).

    dbt unit tests check SQL logic on fixed inputs, not the data: they run in `make test`, not in
    every warehouse build (they were a third of the demo's dbt time).
    """
    vars_ = json.dumps({"as_of": as_of.isoformat()})
    return ["build", "--vars", vars_, "--exclude-resource-type", "unit_test"]


def failed_nodes(run_results: dict) -> list[str]:
    """Readable lines for the nodes dbt reports as error/fail (from run_results.json)."""
    return [
        f"{r['unique_id']}: {r['status']} — {(r.get('message') or '').strip()}"
        for r in run_results.get("results", [])
        if r.get("status") in ("error", "fail", "runtime error")
    ]


@dbt_assets(manifest=MANIFEST_PATH, dagster_dbt_translator=RummeligTranslator())
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # profiles.yml reads the file from RUMMELIG_DATABASE; the dbt subprocess inherits it.
    os.environ["RUMMELIG_DATABASE"] = str(warehouse.database_path)
    invocation = dbt.cli(
        dbt_build_args(warehouse.as_of_date),
        context=context,
        target_path=warehouse.dbt_target_path,
        raise_on_error=False,
    )
    try:
        with contextlib.redirect_stdout(sys.stdout if warehouse.echo_dbt_logs else io.StringIO()):
            yield from invocation.stream()
    finally:  # never leave a dbt process behind holding the DuckDB file lock
        if invocation.process.poll() is None:
            invocation.process.terminate()
            invocation.process.wait(timeout=60)
    if not invocation.is_successful():
        try:
            lines = failed_nodes(invocation.get_artifact("run_results.json"))
        except Exception:  # no run_results: dbt failed before running anything
            lines = []
        raise Failure(
            description="dbt build fejlede: " + ("; ".join(lines) or "se dbt-loggen"),
            metadata={"failed_nodes": "\n".join(lines)},
        )
