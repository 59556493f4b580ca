"""A row that slips past ingest and violates a blocking GX suite stops the build (exit 1)."""

from __future__ import annotations

import duckdb
import pytest
from click.testing import CliRunner

import ingest.landing
from orchestration.cli import cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_warehouse")]


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
    assert "Fejlet kontrol (gx, BLOKERENDE): raw/engagements/raw_engagements" in result.output
    assert (
        "Fejl: Bygget stoppede: blokerende kontrol fejlede (raw/engagements/raw_engagements)."
        in result.output
    )
    assert "dbt_models: start" not in result.output
    with duckdb.connect(str(database), read_only=True) as conn:
        marts = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'marts'"
        ).fetchone()[0]
    assert marts == 0  # dbt never ran on the bad data
