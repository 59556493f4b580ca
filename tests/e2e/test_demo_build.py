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


STAMP = r"^\[\s*\d{1,3}(\.\d{3})*(,\d)? s\] "  # seconds, Danish: "[   0,4 s] ", "[    63 s] "


def test_build_prints_one_danish_progress_line_per_step(demo_warehouse):
    out = demo_warehouse.output
    assert re.search(STAMP + r"Starter Dagster-kørslen …$", out, re.M)
    assert re.search(STAMP + r"Indlæser landing-mappen …$", out, re.M)
    # ingest's per-file lines are periodic progress only: a short load prints few of them
    assert len(re.findall(STAMP + r"  \S+\.csv: ", out, re.M)) <= 3
    tables = len(REGISTER_TABLES) + len(OTHER_TABLES) + len(AUDIT_TABLES)  # 16
    assert re.search(
        STAMP + rf"Indlæsning færdig: [\d.]+ rækker i {tables} tabeller \(\d+(,\d)? s\)$",
        out,
        re.M,
    )
    assert re.search(STAMP + r"Kontrol af rådata: 2 af 2 godkendt$", out, re.M)
    started = re.search(
        STAMP + r"dbt bygger (?P<models>\d+) modeller og kører (?P<tests>[\d.]+) datatests …$",
        out,
        re.M,
    )
    assert started, out
    models, tests = started.group("models"), started.group("tests")
    assert re.search(
        STAMP + rf"dbt færdig: {models} modeller bygget, {tests} af {tests} datatests bestået"
        r" \(\d+(,\d)? s\)$",
        out,
        re.M,
    )
    assert re.search(STAMP + r"Kontrol af datamodellerne: \d+ af \d+ godkendt", out, re.M)
    for report in ["benchmark", "inklusion", "kvote", "sygefravaer"]:
        assert re.search(STAMP + rf"Rapport {report}: \S+\.html, \S+\.xlsx$", out, re.M), report
    # no Dagster, dbt or GX internals: no step keys, check labels, tracebacks or English
    for internal in ["ingest_landing", "dbt_models", "expect_", "Traceback", "STEP_", " ok$"]:
        assert not re.search(re.escape(internal) if "$" not in internal else internal, out, re.M)
    lines = out.replace(str(demo_warehouse.landing.parent), "").replace("out/docs/index.html", "")
    assert not re.search(r"\w+/\w+/\w+", lines)  # no asset/check labels


def test_summary_is_plain_danish_with_danish_numbers_and_one_clock(demo_warehouse):
    out = demo_warehouse.output
    assert re.search(r"^Resumé \(as_of 2025-11-15, bygget på (\d+) s\):$", out, re.M)
    built = re.search(r"bygget på (\d+(,\d)? s)\):$", out, re.M).group(1)
    # the demo's closing line gives the same build time as the summary, and a larger total
    total = re.search(rf"^Færdig på (\d+(,\d)? s) i alt \(heraf bygget {built}\)\.$", out, re.M)
    assert total, out
    assert re.search(
        r"^  Kontroller: (\d+) af \d+ GX-kontroller godkendt, ([\d.]+) af \2 dbt-datatests"
        r" bestået$",
        out,
        re.M,
    )
    registers = re.search(r"^  Rækker pr\. register: (.*)$", out, re.M).group(1)
    counts = re.findall(r"\w+ (\S+?)(?:,|$)", registers)
    assert len(counts) == 7 and all(re.fullmatch(r"\d{1,3}(\.\d{3})*", c) for c in counts)
    assert not re.search(r"\d\.\d s|\d \d{3}\b", out)  # no "0.3 s", no "4 456"
    assert not re.search(r"(?<![Dd]ata)varehus", out)  # it is a data warehouse
    assert "Demo-dataene har bevidst indlagte fejl" in out  # the planted defects, named
    assert "BLOKERENDE" not in out  # warnings (non-blocking suites) may fail, nothing more


def test_gx_suites_ran_as_asset_checks_on_the_warehouse_instance_and_passed(demo_warehouse):
    from orchestration.warehouse import dagster_instance

    instance = dagster_instance(demo_warehouse.database)
    [record] = instance.get_run_records()
    assert record.dagster_run.is_success
    from dagster import AssetCheckKey, AssetKey

    for asset, check in [
        ("raw/engagements", "raw_engagements"),
        ("raw/placements", "raw_placements"),
        ("marts/fct_placements_monthly", "fct_placements_monthly"),
    ]:
        key = AssetCheckKey(AssetKey(asset.split("/")), check)
        [execution] = instance.event_log_storage.get_asset_check_execution_history(key, limit=5)
        assert execution.run_id == record.dagster_run.run_id
        assert execution.evaluation.passed, check


def test_summary_counts_match_the_warehouse(demo_warehouse):
    from orchestration.text import number

    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        absences = conn.execute("SELECT count(*) FROM raw.absences").fetchone()[0]
        rejected = conn.execute(
            "SELECT count(DISTINCT (file_name, row_number)) FROM audit.quarantine"
            " WHERE severity = 'error'"
        ).fetchone()[0]
    assert absences > 999  # so the Danish thousands separator is exercised
    assert f"absences {number(absences)}," in demo_warehouse.output
    assert f"Karantæne: {number(rejected)} rækker afvist (fejl)" in demo_warehouse.output
    assert rejected > 0  # the generator plants bad rows: quarantine must show in the demo


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
    from reports.registry import REPORTS

    files = 2 * len(REPORTS)  # HTML and XLSX of each report
    assert f"Rapporter:        {demo_warehouse.reports} ({files} filer)" in demo_warehouse.output
