"""The demo path end to end: synthetic landing → Dagster (ingest, dbt, GX checks) → reports.

All tests here share the session's `demo_warehouse` (built once by `rummelig demo`).
"""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from ingest.raw_schema import AUDIT_TABLES, OTHER_TABLES, REGISTER_TABLES
from tests.support.cpr_scan import cpr_hits, landing_cprs, text_columns

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_warehouse")]


def _tables(conn: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
            " ORDER BY table_name",
            [schema],
        ).fetchall()
    ]


def test_demo_writes_every_raw_audit_and_core_mart_table(demo_warehouse):
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        assert set(REGISTER_TABLES) | set(OTHER_TABLES) <= set(_tables(conn, "raw"))
        assert set(AUDIT_TABLES) <= set(_tables(conn, "audit"))
        assert {"dim_org_unit", "fct_placements_monthly"} <= set(_tables(conn, "marts"))
        for table in ["org_units", "engagements", "absences", "placements"]:
            assert conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0] > 0, table
        months = conn.execute(
            "SELECT count(DISTINCT month_end), max(month_end) FROM marts.fct_placements_monthly"
        ).fetchone()
    # window: November 2022 … November 2025 = 37 months; the last month_end is as_of (§5)
    assert months == (37, demo_warehouse.as_of)


def test_build_prints_progress_and_summary(demo_warehouse):
    out = demo_warehouse.output
    assert re.search(r"^\[\s*\d+\.\d s\] ingest_landing: start$", out, re.M)
    assert re.search(r"^\[\s*\d+\.\d s\] dbt_models: færdig$", out, re.M)
    assert re.search(r"^\[\s*\d+\.\d s\]   marts/fct_placements_monthly$", out, re.M)
    assert re.search(r"^Resumé \(as_of 2025-11-15, \d+ s\):$", out, re.M)
    assert re.search(r"^  Rækker pr\. register: org_units \d+, engagements \d+, ", out, re.M)
    assert re.search(r"^  Karantæne: \d+ fejl \(række afvist\), \d+ advarsler", out, re.M)
    assert re.search(r"^  Kontroller: GX \d+/\d+ ok, dbt-tests (\d+)/\1 ok$", out, re.M)
    assert "BLOKERENDE" not in out  # warnings (non-blocking suites) may fail, nothing more


def test_gx_suites_ran_as_asset_checks_and_passed(demo_warehouse):
    out = demo_warehouse.output
    for check in [
        "raw/engagements/raw_engagements",
        "raw/placements/raw_placements",
        "marts/fct_placements_monthly/fct_placements_monthly",
    ]:
        assert re.search(rf"kontrol {re.escape(check)}: ok$", out, re.M), check


def test_summary_counts_match_the_warehouse(demo_warehouse):
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        engagements = conn.execute("SELECT count(*) FROM raw.engagements").fetchone()[0]
        errors = conn.execute(
            "SELECT count(*) FROM audit.quarantine WHERE severity = 'error'"
        ).fetchone()[0]
    assert f"engagements {engagements}," in demo_warehouse.output
    assert f"Karantæne: {errors} fejl" in demo_warehouse.output
    assert errors > 0  # the generator plants bad rows: quarantine must show in the demo


def test_no_cpr_in_any_text_column(demo_warehouse):
    """Every VARCHAR/JSON/nested-text column of every schema, audit.quarantine included (the
    scan itself is shown to catch a leak in tests/e2e/test_foundation_landing.py)."""
    cprs = landing_cprs(demo_warehouse.landing)
    assert len(cprs) > 100  # the scan below is only meaningful with CPRs to look for
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        scanned = {(s, t) for s, t, _ in text_columns(conn)}
        assert ("audit", "quarantine") in scanned and ("marts", "meta_data_quality") in scanned
        assert cpr_hits(conn, cprs) == []


def test_rows_read_equals_loaded_plus_quarantined_for_every_loaded_file(demo_warehouse):
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        log = conn.execute(
            """SELECT l.file_name, l.rows_read, l.rows_loaded, l.rows_quarantined,
                      (SELECT count(DISTINCT q.row_number) FROM audit.quarantine AS q
                       WHERE q.file_name = l.file_name AND q.severity = 'error')
               FROM audit.load_log AS l WHERE l.status = 'loaded'"""
        ).fetchall()
        registers = conn.execute(
            "SELECT count(DISTINCT register) FROM audit.load_log WHERE source = 'registers'"
        ).fetchone()[0]
    assert registers == 6 and len(log) > 6  # every register and the jobindsats extracts
    bad = [r for r in log if r[1] != r[2] + r[3] or r[3] != r[4]]
    assert bad == []
    assert sum(r[3] for r in log) > 0  # the planted bad rows are counted somewhere


def _compare_marts(a: duckdb.DuckDBPyConnection, b_path) -> dict[str, int]:
    """Per marts table: rows in one build but not the other (both ways), timestamps ignored."""
    a.execute(f"ATTACH '{b_path}' AS second (READ_ONLY)")
    differences = {}
    for table in _tables(a, "marts"):
        cols = [
            f'"{name}"'
            for name, kind in a.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_catalog = current_database() AND table_schema = 'marts'"
                " AND table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if not kind.startswith("TIMESTAMP")  # built_at / loaded_at differ by design
        ]
        select = ", ".join(cols)
        first, second = f"marts.{table}", f"second.marts.{table}"
        n = a.execute(
            f"SELECT (SELECT count(*) FROM (SELECT {select} FROM {first} EXCEPT ALL"
            f" SELECT {select} FROM {second})) + (SELECT count(*) FROM (SELECT {select}"
            f" FROM {second} EXCEPT ALL SELECT {select} FROM {first}))"
        ).fetchone()[0]
        differences[table] = n
    return differences


def test_loading_the_landing_folder_twice_gives_identical_marts(demo_warehouse, tmp_path):
    from orchestration.build import run_build

    copy = tmp_path / "again.duckdb"
    shutil.copyfile(demo_warehouse.database, copy)
    outcome = run_build(demo_warehouse.landing, copy, as_of=demo_warehouse.as_of, echo=None)
    assert outcome.success, outcome.failure_message()
    with duckdb.connect(str(copy), read_only=True) as conn:
        conn.execute(f"ATTACH '{demo_warehouse.database}' AS first (READ_ONLY)")
        log = "file_name, source, register, sha256, status, rows_read, rows_loaded"
        new_rows = conn.execute(
            f"SELECT status, count(*) FROM (SELECT {log} FROM audit.load_log EXCEPT ALL"
            f" SELECT {log} FROM first.audit.load_log) GROUP BY status"
        ).fetchall()
    assert new_rows and {status for status, _ in new_rows} == {"skipped"}  # nothing new loaded
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        differences = _compare_marts(conn, copy)
    assert {"dim_org_unit", "fct_placements_monthly"} <= set(differences)
    # meta_data_quality counts files loaded/skipped per load: the second load adds its skips
    # to that history by design; every other mart must be identical.
    differences.pop("meta_data_quality", None)
    assert {t: n for t, n in differences.items() if n} == {}


def test_reports_are_written_offline_with_inline_svg(demo_warehouse):
    html_files = sorted(demo_warehouse.reports.glob("*.html"))
    assert html_files, demo_warehouse.output
    assert any(p.name.startswith("inklusion") for p in html_files)
    assert sorted(demo_warehouse.reports.glob("*.xlsx"))
    for path in html_files:
        html = path.read_text(encoding="utf-8")
        assert "<svg" in html, path.name
        # offline: nothing fetched from the net (an SVG xmlns is a name, not a fetch)
        assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html, re.I), path.name
        assert not re.search(r"url\(\s*['\"]?https?://", html, re.I), path.name
        assert not re.search(r"@import", html, re.I), path.name
    assert f"Rapporter:     {demo_warehouse.reports}" in demo_warehouse.output
