"""The Dagster sensor on <landing>/jobindsats/: new or changed extracts request a build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dagster import AssetKey, build_sensor_context, job, op

from orchestration.sensors import changed_files, fingerprint, make_jobindsats_sensor


@op
def _noop():
    return None


@job
def _build_job():
    _noop()


@pytest.fixture
def landing(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "jobindsats").mkdir()
    monkeypatch.setenv("RUMMELIG_INPUT", str(tmp_path))
    return tmp_path


def tick(sensor, cursor: str | None):
    """Evaluate once; returns (run requests, new cursor or the old one)."""
    context = build_sensor_context(cursor=cursor)
    data = sensor.evaluate_tick(context)
    return data.run_requests or [], data.cursor if data.cursor is not None else cursor


def test_new_changed_and_unchanged_extracts(landing: Path):
    sensor = make_jobindsats_sensor(_build_job)
    extract = landing / "jobindsats" / "Y07A02_a.csv"

    runs, cursor = tick(sensor, None)
    assert runs == []  # empty folder

    extract.write_text("Område;Periode;Antal personer\nHorsens;2024M01;5\n")
    (landing / "jobindsats" / "readme.txt").write_text("not an extract")
    runs, cursor = tick(sensor, cursor)
    assert len(runs) == 1 and runs[0].tags["rummelig/files"] == "1"
    first_run_key = runs[0].run_key

    runs, cursor = tick(sensor, cursor)
    assert runs == []  # nothing new

    os.utime(extract, ns=(1, 1))  # touched, same content
    runs, cursor = tick(sensor, cursor)
    assert runs == []

    extract.write_text("Område;Periode;Antal personer\nHorsens;2024M01;6\n")  # revised
    (landing / "jobindsats" / "Y07A02_b.json").write_text('{"columns": [], "rows": []}')
    runs, cursor = tick(sensor, cursor)
    assert len(runs) == 1 and runs[0].tags["rummelig/files"] == "2"
    assert runs[0].run_key != first_run_key

    extract.unlink()  # a removed extract starts nothing
    runs, cursor = tick(sensor, cursor)
    assert runs == []


def test_without_the_landing_variable_the_sensor_skips(monkeypatch):
    monkeypatch.delenv("RUMMELIG_INPUT", raising=False)
    runs, cursor = tick(make_jobindsats_sensor(_build_job), None)
    assert runs == [] and cursor is None


def test_changed_files_compares_content_not_times(tmp_path: Path):
    (tmp_path / "Y07A02_a.csv").write_text("x")
    first = fingerprint(tmp_path)
    os.utime(tmp_path / "Y07A02_a.csv", ns=(5, 5))
    second = fingerprint(tmp_path, first)
    assert second["Y07A02_a.csv"][0] == 5 and changed_files(first, second) == []
    (tmp_path / "Y07A02_a.csv").write_text("y")
    assert changed_files(second, fingerprint(tmp_path, second)) == ["Y07A02_a.csv"]


def test_the_wired_sensor_requests_ingest_and_the_jobindsats_marts(landing: Path):
    """The sensor of the real Definitions: a dropped extract → one run of build_all limited to
    the ingest (all of it: it cannot be subset), the jobindsats models and stg_kommuner; the
    checks that come with that subset are the jobindsats ones, not the other marts'."""
    from orchestration.assets.raw import ingest_landing
    from orchestration.definitions import defs

    sensor = defs.resolve_sensor_def("jobindsats_extracts")
    (landing / "jobindsats" / "Y07A02_a.csv").write_text(
        "Område;Periode;Antal personer\nHorsens;2024M01;5\n", encoding="utf-8"
    )
    [run], cursor = tick(sensor, None)
    assert sensor.job_name == "build_all"
    dbt_keys = {
        AssetKey(["staging", "stg_jobindsats"]),
        AssetKey(["marts", "fct_jobindsats"]),
        AssetKey(["marts", "fct_benchmark"]),
        AssetKey(["reporting", "rpt_benchmark_periods"]),  # the benchmark report's periods
        AssetKey(["staging", "stg_kommuner"]),
        AssetKey(["raw", "kommuner"]),  # the seed behind stg_kommuner
    }
    assert set(run.asset_selection) == set(ingest_landing.keys) | dbt_keys

    subset = defs.resolve_job_def("build_all").get_subset(asset_selection=set(run.asset_selection))
    checks = subset.asset_layer.asset_graph.asset_check_keys
    assert {"fct_jobindsats_consistency", "fct_benchmark_consistency"} <= {c.name for c in checks}
    checked_marts = {c.asset_key for c in checks if c.asset_key.path[0] == "marts"}
    assert checked_marts == {
        AssetKey(["marts", "fct_jobindsats"]),
        AssetKey(["marts", "fct_benchmark"]),
    }

    assert tick(sensor, cursor)[0] == []  # the folder as it was: no run
