"""Builds that fail on an existing warehouse, through `rummelig build` in this process: a dbt data
test that fails (exit 1), a blocking GX check that fails (exit 1), another pseudonymisation key
(exit 2). Each leaves the published warehouse byte for byte as it was, says so, and claims
nothing in the Dagster history (docs/decisions/publish.md)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from dagster import AssetKey, DagsterEventType

import ingest.landing
from orchestration.cli import cli
from orchestration.warehouse import dagster_instance
from tests.faults.harness import scan_warehouse
from tests.faults.test_publish import marts_snapshot, sha256

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("publish_failures")]


@pytest.fixture
def published(demo_warehouse, tmp_path, monkeypatch):
    """A copy of the demo warehouse (built with the tests' key file, not the fault cases' key)."""
    monkeypatch.delenv("RUMMELIG_PSEUDONYM_KEY", raising=False)
    database = tmp_path / "rummelig.duckdb"
    shutil.copyfile(demo_warehouse.database, database)
    return database, sha256(database), marts_snapshot(database)


def _build(demo_warehouse, database):
    args = ["build", "--input", str(demo_warehouse.landing), "--database", str(database)]
    return CliRunner().invoke(cli, [*args, "--as-of", demo_warehouse.as_of.isoformat()])


def _with_ingest_bug(monkeypatch, sql: str) -> None:
    """Simulate a bug that lets a bad row through ingest: `sql` runs after the real load."""
    real_load = ingest.landing.load_landing

    def load_then_spoil(conn, input_dir, **kwargs):
        summary = real_load(conn, input_dir, **kwargs)
        conn.execute(sql)
        return summary

    monkeypatch.setattr(ingest.landing, "load_landing", load_then_spoil)


def _assert_unchanged_and_unclaimed(demo_warehouse, published, result) -> None:
    database, before, marts = published
    assert sha256(database) == before  # byte for byte
    assert marts_snapshot(database) == marts
    assert f"Datavarehuset {database} er uændret: bygget er ikke udgivet." in result.output
    assert not database.with_name(database.name + ".new").exists()
    # the failed run is in the history, claiming nothing about the warehouse
    with dagster_instance(database) as instance:
        [record] = instance.get_run_records()
        assert record.dagster_run.is_failure
        assert record.dagster_run.tags["rummelig/published"] == "nej"
        kinds = {e.dagster_event_type for e in instance.all_logs(record.dagster_run.run_id)}
        assert DagsterEventType.STEP_FAILURE in kinds  # the run says what failed
        assert not kinds & {
            DagsterEventType.ASSET_MATERIALIZATION,
            DagsterEventType.ASSET_CHECK_EVALUATION,
            DagsterEventType.ASSET_OBSERVATION,
        }
        assert instance.get_latest_materialization_event(AssetKey(["marts", "meta_build"])) is None
    scan_warehouse(database, demo_warehouse.landing)


@pytest.mark.fault("dbt_test_fails_on_existing_warehouse")
def test_a_failing_dbt_test_leaves_the_marts_as_they_were_and_exits_1(
    demo_warehouse, published, monkeypatch
):
    # a second row for the root unit: dbt's unique test on the source raw.org_units fails (no
    # raw GX suite covers org_units, so dbt is the first to see it)
    _with_ingest_bug(
        monkeypatch,
        "INSERT INTO raw.org_units SELECT * FROM raw.org_units WHERE parent_id IS NULL LIMIT 1",
    )
    result = _build(demo_warehouse, published[0])
    assert result.exit_code == 1, result.output
    assert "dbt bygger" in result.output
    last = result.output.rstrip().splitlines()[-1]
    assert last == (  # the failing test by name, from dbt's run_results
        "Fejl: Bygget stoppede, fordi en blokerende kontrol fejlede: dbt-datatest"
        " source_unique_raw_org_units_org_unit_id (tabel raw.org_units)."
    ), last
    assert "Traceback" not in result.output
    _assert_unchanged_and_unclaimed(demo_warehouse, published, result)


@pytest.mark.fault("blocking_check_fails_on_existing_warehouse")
def test_a_failing_blocking_check_leaves_the_marts_as_they_were_and_exits_1(
    demo_warehouse, published, monkeypatch
):
    _with_ingest_bug(  # 60 weekly hours (E1: > 48 must be quarantined)
        monkeypatch,
        "INSERT INTO raw.engagements SELECT * REPLACE (60.0 AS weekly_hours,"
        " engagement_id || '-bug' AS engagement_id) FROM raw.engagements"
        " ORDER BY engagement_id LIMIT 1",
    )
    result = _build(demo_warehouse, published[0])
    assert result.exit_code == 1, result.output
    assert (
        result.output.rstrip()
        .splitlines()[-1]
        .startswith("Fejl: Bygget stoppede, fordi en blokerende kontrol fejlede:")
    )
    assert "dbt bygger" not in result.output
    _assert_unchanged_and_unclaimed(demo_warehouse, published, result)


@pytest.mark.fault("pseudonym_key_changed_cli")
def test_another_pseudonymisation_key_exits_2_and_leaves_the_warehouse(
    demo_warehouse, published, monkeypatch
):
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY", "not-the-key-the-warehouse-was-built-with")
    result = _build(demo_warehouse, published[0])
    assert result.exit_code == 2, result.output
    lines = result.output.rstrip().splitlines()
    assert lines[-1] == (
        "Fejl: Landing-mappen kunne ikke indlæses: Pseudonymiseringsnøglen er ikke den samme som"
        " ved tidligere indlæsninger i denne database; personnøgler ville ikke passe sammen."
        " Brug den oprindelige nøgle (RUMMELIG_PSEUDONYM_KEY eller nøglefilen) eller en ny"
        " database."
    )
    _assert_unchanged_and_unclaimed(demo_warehouse, published, result)
