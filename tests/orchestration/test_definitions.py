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


def test_every_suite_on_a_built_table_is_a_check_with_its_blocking_flag():
    graph = defs.resolve_asset_graph()
    checks = {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys}
    for suite in all_suites():
        if AssetKey(suite.asset_key_path) not in ASSET_KEYS:
            continue  # a mart that is not there yet
        spec = checks[suite.name]
        assert spec.asset_key == AssetKey(suite.asset_key_path)
        assert spec.blocking == suite.blocking
    for name in ["raw_engagements", "raw_placements", "fct_placements_monthly"]:  # issue 2
        assert checks[name].blocking, name


def test_raw_assets_are_keyed_like_dbt_sources():
    keys = {k.to_user_string() for k in ASSET_KEYS}
    for table in ["org_units", "engagements", "absences", "placements", "sdp_cases"]:
        assert f"raw/{table}" in keys
    assert {"raw/jobindsats", "raw/rules_general", "raw/targets", "audit/quarantine"} <= keys
    assert {"marts/dim_org_unit", "marts/fct_placements_monthly"} <= keys


def test_the_jobindsats_sensor_is_wired_when_present():
    from orchestration import definitions

    names = {s.name for s in defs.sensors or []}
    try:
        import orchestration.sensors  # noqa: F401
    except ImportError:
        assert names == set()
    else:
        assert names, "orchestration/sensors.py exists but no sensor was wired"
        assert all(s.job_name == "build_all" for s in definitions.defs.sensors)
