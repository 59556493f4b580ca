"""The Dagster sensor on <landing>/jobindsats/: new or changed extracts request a build."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, build_sensor_context, job, op
from dagster_duckdb import DuckDBResource

from ingest.audit import file_sha256
from ingest.raw_schema import create_raw_schema
from orchestration.resources import LandingResource
from orchestration.sensors import changed_files, fingerprint, make_jobindsats_sensor


@op
def _noop():
    return None


@job
def _build_job():
    _noop()


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    (tmp_path / "jobindsats").mkdir()
    return tmp_path


def _resources(landing: Path) -> dict:
    return {
        "landing": LandingResource(folder=str(landing)),
        "warehouse": DuckDBResource(database=str(landing / "w.duckdb")),
    }


def tick(sensor, cursor: str | None, landing: Path, with_data: bool = False):
    """Evaluate once; returns (run requests, new cursor or the old one)."""
    context = build_sensor_context(cursor=cursor, resources=_resources(landing))
    data = sensor.evaluate_tick(context)
    runs = data.run_requests or []
    new_cursor = data.cursor if data.cursor is not None else cursor
    return (runs, new_cursor, data) if with_data else (runs, new_cursor)


def test_new_changed_and_unchanged_extracts(landing: Path):
    sensor = make_jobindsats_sensor(_build_job)
    extract = landing / "jobindsats" / "Y07A02_a.csv"

    runs, cursor = tick(sensor, None, landing)
    assert runs == []  # empty folder

    extract.write_text("Område;Periode;Antal personer\nHorsens;2024M01;5\n")
    (landing / "jobindsats" / "readme.txt").write_text("not an extract")
    runs, cursor = tick(sensor, cursor, landing)
    assert len(runs) == 1 and runs[0].tags["rummelig/files"] == "1"
    first_run_key = runs[0].run_key

    runs, cursor = tick(sensor, cursor, landing)
    assert runs == []  # nothing new

    os.utime(extract, ns=(1, 1))  # touched, same content
    runs, cursor = tick(sensor, cursor, landing)
    assert runs == []

    extract.write_text("Område;Periode;Antal personer\nHorsens;2024M01;6\n")  # revised
    (landing / "jobindsats" / "Y07A02_b.json").write_text('{"columns": [], "rows": []}')
    runs, cursor = tick(sensor, cursor, landing)
    assert len(runs) == 1 and runs[0].tags["rummelig/files"] == "2"
    assert runs[0].run_key != first_run_key

    extract.unlink()  # a removed extract starts nothing
    runs, cursor = tick(sensor, cursor, landing)
    assert runs == []


def _log_loaded(database: Path, *extracts: Path) -> None:
    """The load log of a warehouse that has loaded these extracts (as ingest writes it)."""
    with duckdb.connect(str(database)) as conn:
        create_raw_schema(conn)
        for path in extracts:
            conn.execute(
                "INSERT INTO audit.load_log (file_name, source, register, sha256, status,"
                " rows_read, rows_loaded, rows_quarantined, loaded_at)"
                " VALUES (?, 'jobindsats', 'Y07A02', ?, 'loaded', 1, 1, 0, now())",
                [path.name, file_sha256(path)],
            )


def test_a_new_instance_starts_from_what_the_warehouse_has_loaded(landing: Path):
    """No cursor yet (the UI opened for the first time over a built warehouse): the extracts the
    load log already has start nothing; one the warehouse has not seen does."""
    loaded = landing / "jobindsats" / "Y07A02_a.csv"
    loaded.write_text("Område;Periode;Antal personer\nHorsens;2024M01;5\n")
    _log_loaded(landing / "w.duckdb", loaded)
    sensor = make_jobindsats_sensor(_build_job)

    runs, cursor, data = tick(sensor, None, landing, with_data=True)
    assert runs == [] and isinstance(data.skip_message, str)
    assert list(fingerprint(landing / "jobindsats")) == ["Y07A02_a.csv"]
    assert cursor is not None and "Y07A02_a.csv" in cursor

    fresh = landing / "jobindsats" / "Y07A02_b.csv"
    fresh.write_text("Område;Periode;Antal personer\nHorsens;2024M02;7\n")
    runs, _ = tick(make_jobindsats_sensor(_build_job), None, landing)  # again without cursor
    assert len(runs) == 1 and runs[0].tags["rummelig/files"] == "1"


def test_while_a_build_holds_the_warehouse_the_sensor_waits(landing: Path):
    (landing / "jobindsats" / "Y07A02_a.csv").write_text("Område;Periode;Antal personer\n")
    with duckdb.connect(str(landing / "w.duckdb")):  # a writer holds the file
        import subprocess
        import sys

        code = (
            "import sys; from pathlib import Path;"
            "from tests.ingest.test_jobindsats_sensor import _build_job, tick;"
            "from orchestration.sensors import make_jobindsats_sensor;"
            "runs, cursor, data = tick(make_jobindsats_sensor(_build_job), None,"
            " Path(sys.argv[1]), with_data=True);"
            "print(len(runs), cursor, data.skip_message)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(landing)], capture_output=True, text=True
        )
    assert done.stdout.strip() == "0 None Datavarehuset er optaget af et byg; prøver igen senere"


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
    [run], cursor = tick(sensor, None, landing)
    assert sensor.job_name == "build_all"
    dbt_keys = {
        AssetKey(["staging", "stg_jobindsats"]),
        AssetKey(["marts", "fct_jobindsats"]),
        AssetKey(["marts", "fct_benchmark"]),
        AssetKey(["reporting", "rpt_benchmark_periods"]),  # the benchmark report's periods
        AssetKey(["staging", "stg_kommuner"]),
        AssetKey(["raw", "kommuner"]),  # the seed behind stg_kommuner
    }
    # the reports that read jobindsats (marts.fct_benchmark)
    reports = {AssetKey(["reports", "benchmark"]), AssetKey(["reports", "jobcenter"])}
    assert set(run.asset_selection) == set(ingest_landing.keys) | dbt_keys | reports

    subset = defs.resolve_job_def("build_all").get_subset(asset_selection=set(run.asset_selection))
    checks = subset.asset_layer.asset_graph.asset_check_keys
    assert {"fct_jobindsats_consistency", "fct_benchmark_consistency"} <= {c.name for c in checks}
    checked_marts = {c.asset_key for c in checks if c.asset_key.path[0] == "marts"}
    assert checked_marts == {
        AssetKey(["marts", "fct_jobindsats"]),
        AssetKey(["marts", "fct_benchmark"]),
    }

    assert tick(sensor, cursor, landing)[0] == []  # the folder as it was: no run
