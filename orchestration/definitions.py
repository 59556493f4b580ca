"""The Dagster definitions: raw ingest, every dbt node, GX checks, the reports, the daily schedule
and the jobindsats sensor.

`defs` (for `dagster dev`, i.e. `rummelig dev`) takes its settings from the environment
(orchestration/resources.py); the build runner calls `build_definitions(resources)` with explicit
ones. Importing this module reads the dbt manifest: orchestration.project.prepare_manifest (the
CLI and tests/conftest.py call it) or `dagster dev` (prepare_if_dev) writes it first.
"""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from expectations.suites import all_suites
from orchestration.assets.dbt import dbt_models
from orchestration.assets.raw import RAW_KEYS, ingest_landing
from orchestration.assets.reports import REPORT_ASSETS
from orchestration.checks import suite_checks
from orchestration.resources import resources_from_env
from orchestration.schedules import build_all_job, daily_build_schedule
from orchestration.sensors import jobindsats_asset_keys, make_jobindsats_sensor

ASSETS = [ingest_landing, dbt_models, *REPORT_ASSETS]
ASSET_KEYS = {*RAW_KEYS, *dbt_models.keys}
REPORT_KEYS = {key for report in REPORT_ASSETS for key in report.keys}


def _sensors() -> list:
    """The jobindsats extracts sensor: a run of build_all limited to the jobindsats lineage."""
    keys = jobindsats_asset_keys(ASSETS)
    return [make_jobindsats_sensor(build_all_job, asset_selection=keys)]


def build_definitions(resources: dict | None = None, loggers: dict | None = None) -> Definitions:
    return Definitions(
        assets=ASSETS,
        asset_checks=suite_checks(all_suites(), ASSET_KEYS),
        jobs=[build_all_job],
        schedules=[daily_build_schedule],
        sensors=_sensors(),
        resources=resources or resources_from_env(),
        executor=in_process_executor,  # one writer on the DuckDB file at a time
        loggers=loggers,
    )


defs = build_definitions()
