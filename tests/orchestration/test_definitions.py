"""The Definitions as Dagster sees them: job, schedule, sensor, GX checks, executor."""

from __future__ import annotations

from dagster import AssetKey

from expectations.suites import all_suites
from orchestration.definitions import ASSET_KEYS, defs


def test_job_schedule_and_in_process_executor():
    job = defs.resolve_job_def("build_all")
    assert job.executor_def.name == "in_process"  # one writer on the DuckDB file at a time
    schedule = defs.resolve_schedule_def("daily_build")
    assert schedule.cron_schedule == "0 6 * * *" and schedule.job_name == "build_all"


def test_every_suite_is_a_check_on_its_table_with_its_blocking_flag():
    """Every GX suite is wired: its table is an asset and the suite is a check on it (a suite
    whose table no asset builds would silently never run: orchestration/checks.py leaves it out)."""
    graph = defs.resolve_asset_graph()
    checks = {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys}
    suites = all_suites()
    unwired = [s.name for s in suites if AssetKey(s.asset_key_path) not in ASSET_KEYS]
    assert unwired == []
    gx = {name: spec for name, spec in checks.items() if name in {s.name for s in suites}}
    assert sorted(gx) == sorted(s.name for s in suites)
    for suite in suites:
        assert gx[suite.name].asset_key == AssetKey(suite.asset_key_path), suite.name
        assert gx[suite.name].blocking == suite.blocking, suite.name
    for name in ["raw_engagements", "raw_placements", "fct_placements_monthly"]:  # issue 2
        assert checks[name].blocking, name


def test_raw_assets_are_keyed_like_dbt_sources():
    keys = {k.to_user_string() for k in ASSET_KEYS}
    for table in ["org_units", "engagements", "absences", "placements", "sdp_cases"]:
        assert f"raw/{table}" in keys
    assert {"raw/jobindsats", "raw/rules_general", "raw/targets", "audit/quarantine"} <= keys
    assert {"marts/dim_org_unit", "marts/fct_placements_monthly"} <= keys


def test_the_jobindsats_sensor_is_wired():
    [sensor] = defs.sensors
    assert sensor.name == "jobindsats_extracts" and sensor.job_name == "build_all"
