"""The daily build: registers are delivered overnight, so rebuild every morning."""

from __future__ import annotations

from dagster import AssetSelection, ScheduleDefinition, define_asset_job

build_all_job = define_asset_job(
    "build_all",
    selection=AssetSelection.all(),
    description="Indlæs landing-mappen, byg dbt-modellerne og kør alle kontroller.",
)

daily_build_schedule = ScheduleDefinition(
    name="daily_build",
    job=build_all_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Copenhagen",
    description="Dagligt byg kl. 06.",
)
