"""A row that slips past ingest and violates a blocking GX suite stops the build (exit 1)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import ingest.landing
from orchestration.cli import cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_blocking")]


def test_blocking_check_failure_stops_dbt_and_exits_non_zero(demo_warehouse, tmp_path, monkeypatch):
    real_load = ingest.landing.load_landing

    def load_with_a_bad_row(conn, input_dir, **kwargs):
        # Simulate an ingest bug: one engagement with 60 weekly hours reaches raw (E1 says > 48
        # must be quarantined). The real raw_engagements suite must catch it.
        summary = real_load(conn, input_dir, **kwargs)
        conn.execute(
            "INSERT INTO raw.engagements SELECT * REPLACE (60.0 AS weekly_hours,"
            " engagement_id || '-bug' AS engagement_id) FROM raw.engagements"
            " ORDER BY engagement_id LIMIT 1"
        )
        return summary

    monkeypatch.setattr(ingest.landing, "load_landing", load_with_a_bad_row)
    database = tmp_path / "blocked.duckdb"
    args = ["build", "--input", str(demo_warehouse.landing), "--database", str(database)]
    result = CliRunner().invoke(cli, [*args, "--as-of", "2025-11-15"])

    assert result.exit_code == 1, result.output
    from expectations.suites.raw import SUITES

    [suite] = [s for s in SUITES if s.name == "raw_engagements"]
    label = f"{suite.description.removesuffix('.')} (tabel raw.engagements)"
    assert f"  BLOKERENDE fejl: {label}" in result.output
    assert result.output.rstrip().endswith(
        f"Fejl: Bygget stoppede, fordi en blokerende kontrol fejlede: {label}."
    )
    assert re.search(r"Kontrol af rådata: 1 af 2 godkendt, 1 BLOKERENDE fejl$", result.output, re.M)
    assert "dbt bygger" not in result.output  # dbt never ran on the bad data
    # a new warehouse whose build failed leaves no file behind, only the run in its history
    assert not database.exists() and not database.with_name("blocked.duckdb.wal").exists()
    from orchestration.warehouse import dagster_instance

    [record] = dagster_instance(database).get_run_records()
    assert record.dagster_run.is_failure
