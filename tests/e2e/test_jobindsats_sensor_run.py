"""The jobindsats sensor end to end on the demo warehouse: a revised extract dropped into
<landing>/jobindsats/ → the wired sensor's run request → that run through the real Dagster job →
the revised value in `fct_jobindsats`, Horsens re-ranked in `fct_benchmark`, and nothing but the
ingest and the jobindsats models materialised."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from dagster import DagsterInstance, build_sensor_context

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("jobindsats_sensor_run")]

CELL = (
    "table_id = 'Y07A02' AND measure = 'Antal personer' AND period_code = '2025M10'"
    ' AND dimensions = \'{"Køn": "I alt"}\''
)
REVISED = 99999.0


def _benchmark(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = conn.execute(
        "SELECT municipality_code, value, rank_desc, n_municipalities, percentile,"
        f" national_value, diff_to_national FROM marts.fct_benchmark WHERE {CELL}"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_a_dropped_revision_runs_only_the_jobindsats_lineage(demo_warehouse, tmp_path):
    from orchestration.definitions import build_definitions
    from orchestration.resources import build_resources

    landing = tmp_path / "landing"
    shutil.copytree(demo_warehouse.landing, landing)
    database = tmp_path / "w.duckdb"
    shutil.copyfile(demo_warehouse.database, database)
    with duckdb.connect(str(database), read_only=True) as conn:
        before = _benchmark(conn)
        files_before = conn.execute("SELECT count(*) FROM audit.load_log").fetchone()[0]
    assert before["615"][0] == 790.0  # the demo's Horsens value, replaced below

    resources = build_resources(
        database, landing, as_of=demo_warehouse.as_of, reports_dir=tmp_path / "reports"
    )
    defs = build_definitions(resources)
    sensor = defs.resolve_sensor_def("jobindsats_extracts")
    first = sensor.evaluate_tick(build_sensor_context(resources=resources))
    assert first.run_requests == []  # the built warehouse has loaded every extract already
    cursor = first.cursor

    (landing / "jobindsats" / "Y07A02_z_revision.csv").write_text(
        "Område;Periode;Køn;Antal personer;Antal fuldtidspersoner\n"
        "Horsens;2025M10;I alt;99.999;88.888,5\n",
        encoding="utf-8",
    )
    [run] = sensor.evaluate_tick(
        build_sensor_context(cursor=cursor, resources=resources)
    ).run_requests
    assert run.tags["rummelig/files"] == "1"

    job = defs.resolve_job_def(sensor.job_name)
    with DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance, asset_selection=run.asset_selection, raise_on_error=False
        )
        assert result.success
        built = {e.asset_key for e in result.get_asset_materialization_events()}
    modelled = {
        k.to_user_string() for k in built if k.path[0] in ("staging", "intermediate", "marts")
    }
    # only the jobindsats lineage: no sickness, quota or placement model was rebuilt, and of the
    # reports only those that read the jobindsats marts (benchmark, jobcenter)
    assert {k.to_user_string() for k in built if k.path[0] == "reports"} == {
        "reports/benchmark",
        "reports/jobcenter",
    }
    assert modelled == {
        "staging/stg_jobindsats",
        "staging/stg_kommuner",
        "marts/fct_jobindsats",
        "marts/fct_benchmark",
    }

    with duckdb.connect(str(database), read_only=True) as conn:
        after = _benchmark(conn)
        log = conn.execute(
            "SELECT status, rows_read, rows_loaded FROM audit.load_log"
            " WHERE file_name LIKE '%Y07A02_z_revision.csv'"
        ).fetchall()
        files_after = conn.execute("SELECT count(*) FROM audit.load_log").fetchone()[0]
        source = conn.execute(
            f"SELECT source_file FROM marts.fct_jobindsats WHERE {CELL}"
            " AND municipality_code = '615'"
        ).fetchone()[0]

    assert log == [("loaded", 1, 1)]
    assert files_after > files_before  # the log keeps every file and every load
    assert source == "Y07A02_z_revision.csv"
    # Ranks by hand from the values before: only Horsens moved, to 99 999 (thousands dot).
    others = {code: row[0] for code, row in before.items() if code != "615" and row[0] is not None}
    n = before["615"][2]
    rank = 1 + sum(v > REVISED for v in others.values())
    national = before["615"][4]  # Hele landet was not revised
    assert after["615"] == (
        REVISED,
        rank,
        n,
        100 * (n - rank) / (n - 1),
        national,
        REVISED - national,
    )
    for code, value in others.items():
        expected = 1 + sum(v > value for v in others.values()) + (value < REVISED)
        assert after[code][:2] == (value, expected), code
