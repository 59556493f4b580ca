"""The README's list of deliberate bad rows is what the project's ingest quarantines: the same
rows (file, row number) with the same reason, and nothing else with severity error."""

from __future__ import annotations

import duckdb
import polars as pl

from ingest.landing import load_landing
from tests.synthetic.landing_reader import bad_rows


def test_ingest_quarantines_exactly_the_listed_bad_rows(landing, tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        load_landing(conn, landing)
        errors = conn.execute(
            "SELECT file_name, row_number, reason FROM audit.quarantine "
            "WHERE severity = 'error' ORDER BY ALL"
        ).fetchall()
        failed = conn.execute("SELECT file_name FROM audit.load_log WHERE status <> 'loaded'")
        assert failed.fetchall() == []
    listed = bad_rows(landing).select(
        pl.col("file").str.replace("registers/", "", literal=True),
        pl.col("row_number").cast(pl.Int64),
        "reason",
    )
    assert sorted(errors) == sorted(listed.iter_rows())
