"""The Dagster definitions: raw ingest, every dbt node, GX checks, the daily schedule, the sensor.

`defs` (for `dagster dev`) takes its settings from the environment; the CLI calls
`build_definitions(...)` with explicit resources. Importing this module reads the dbt manifest:
run `python -m orchestration.manifest` (the CLI and tests/conftest.py do) first.
"""

from __future__ import annotations

import os

from dagster import Definitions, EnvVar, in_process_executor

from expectations.suites import all_suites
from orchestration.assets.dbt import dbt_models
from orchestration.assets.raw import RAW_KEYS, ingest_landing
from orchestration.checks import suite_checks
from orchestration.resources import WarehouseResource, dbt_resource
from orchestration.schedules import build_all_job, daily_build_schedule
from orchestration.sensors import jobindsats_asset_keys, make_jobindsats_sensor

ASSETS = [ingest_landing, dbt_models]
ASSET_KEYS = {*RAW_KEYS, *dbt_models.keys}


def _sensors() -> list:
    """The jobindsats extracts sensor: a run of build_all limited to the jobindsats lineage."""
    keys = jobindsats_asset_keys(ASSETS)
    return [make_jobindsats_sensor(build_all_job, asset_selection=keys)]


def warehouse_from_env() -> WarehouseResource:
    return WarehouseResource(
        database=EnvVar("RUMMELIG_DATABASE"),
        input_dir=EnvVar("RUMMELIG_INPUT"),
        as_of=os.environ.get("RUMMELIG_AS_OF", ""),
        config_path=os.environ.get("RUMMELIG_CONFIG", ""),
    )


def build_definitions(
    warehouse: WarehouseResource | None = None, loggers: dict | None = None
) -> Definitions:
    return Definitions(
        assets=ASSETS,
        asset_checks=suite_checks(all_suites(), ASSET_KEYS),
        jobs=[build_all_job],
        schedules=[daily_build_schedule],
        sensors=_sensors(),
        resources={"warehouse": warehouse or warehouse_from_env(), "dbt": dbt_resource()},
        executor=in_process_executor,  # one writer on the DuckDB file at a time
        loggers=loggers,
    )


defs = build_definitions()
