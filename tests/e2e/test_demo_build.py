"""The demo path end to end: synthetic landing → Dagster (ingest, dbt, GX checks) → reports.

All tests here share the session's `demo_warehouse` (built once by `rummelig demo`).
"""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from ingest.raw_schema import AUDIT_TABLES, OTHER_TABLES, REGISTER_TABLES

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


_CPR_PATTERN = r"(^|[^0-9])[0-9]{6}-?[0-9]{4}([^0-9]|$)"


def _landing_cprs(landing) -> set[str]:
    """Every CPR written to the landing registers (10 digits, dash removed)."""
    found: set[str] = set()
    registers = landing / "registers"
    for path in [
        p for r in ("engagements", "placements", "sdp_cases") for p in registers.glob(f"{r}*.csv")
    ]:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        found |= {m.replace("-", "") for m in re.findall(r"(?<!\d)\d{6}-?\d{4}(?!\d)", text)}
    return found


def test_no_cpr_in_any_text_column(demo_warehouse):
    cprs = _landing_cprs(demo_warehouse.landing)
    assert len(cprs) > 100  # the scan below is only meaningful with CPRs to look for
    hits = []
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        conn.execute("CREATE TEMP TABLE cprs (d VARCHAR)")
        conn.executemany("INSERT INTO cprs VALUES (?)", [[c] for c in sorted(cprs)])
        columns = conn.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns"
            " WHERE data_type = 'VARCHAR' AND table_schema NOT IN ('temp', 'pg_catalog')"
            " AND table_catalog = current_database()"
        ).fetchall()
        for schema, table, column in columns:
            col = f'"{schema}"."{table}"."{column}"'
            source = f'"{schema}"."{table}"'
            # 1) none of the landing CPRs, with or without dash, anywhere
            known = conn.execute(
                f"SELECT count(*) FROM (SELECT unnest(regexp_extract_all({col},"
                f" '[0-9]{{6}}-?[0-9]{{4}}')) AS m FROM {source}) x"
                " JOIN cprs ON replace(x.m, '-', '') = cprs.d"
            ).fetchone()[0]
            # 2) nothing CPR-shaped at all, apart from 64-hex keys/hashes and P-numbers
            if column == "p_number":
                shaped = 0
            else:
                shaped = conn.execute(
                    f"SELECT count(*) FROM {source} WHERE regexp_matches("
                    f"regexp_replace({col}, '[0-9a-f]{{64}}', ' ', 'g'), '{_CPR_PATTERN}')"
                ).fetchone()[0]
            if known or shaped:
                hits.append((schema, table, column, known, shaped))
    assert hits == [], hits


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
