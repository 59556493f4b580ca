"""The demo path end to end: synthetic landing → Dagster (ingest, dbt, GX checks) → reports.

All tests here share the session's `demo_warehouse` (built once by `rummelig demo`).
"""

from __future__ import annotations

import re

import duckdb
import pytest

from ingest.raw_schema import AUDIT_TABLES, OTHER_TABLES, REGISTER_TABLES
from tests.support.cpr_scan import cpr_hits, landing_cprs, text_columns
from tests.synthetic.landing_reader import bad_rows, final_rows

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_build")]


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
        # each register holds exactly what an independent reading of the landing folder keeps:
        # later file wins, without the bad rows the generator lists in the landing README
        for table in REGISTER_TABLES:
            expected = final_rows(demo_warehouse.landing, table).height
            assert conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0] == expected
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
    # the build's run (published) and the reports' run after it, on the published file
    records = {r.dagster_run.tags["rummelig/part"]: r for r in instance.get_run_records()}
    assert sorted(records) == ["byg", "rapporter"]
    record = records["byg"]
    assert record.dagster_run.is_success and records["rapporter"].dagster_run.is_success
    assert record.dagster_run.tags["rummelig/published"] == "ja"
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


def _build_run_checks(demo_warehouse) -> dict[tuple[str, str], bool]:
    """(asset, check) → passed, for every check evaluation of the demo's build run."""
    from dagster import DagsterEventType

    from orchestration.warehouse import dagster_instance

    with dagster_instance(demo_warehouse.database) as instance:
        [run] = [
            r for r in instance.get_run_records() if r.dagster_run.tags["rummelig/part"] == "byg"
        ]
        evaluations = [
            e.dagster_event.event_specific_data
            for e in instance.all_logs(
                run.dagster_run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
            )
        ]
    return {(e.asset_key.to_user_string(), e.check_name): e.passed for e in evaluations}


# The demo's planted HR ↔ jobcentre mismatches (listed in the landing README): the one warning.
EXPECTED_WARNINGS = {("marts/fct_inclusion_reconciliation", "fct_inclusion_reconciliation")}


def test_every_gx_suite_ran_by_name_and_only_the_expected_warning_failed(demo_warehouse):
    """Not "n of m passed": every GX suite by name — each blocking one passed, and the only
    failure is the named, non-blocking warning the demo data is built to raise."""
    from expectations.suites import all_suites

    results = _build_run_checks(demo_warehouse)
    suites = {("/".join(s.asset_key_path), s.name): s for s in all_suites()}
    assert set(suites) <= set(results)  # every suite evaluated
    blocking = {key for key, suite in suites.items() if suite.blocking}
    assert {key for key in blocking if not results[key]} == set()
    assert {key for key in suites if not results[key]} == EXPECTED_WARNINGS
    assert all(not suites[key].blocking for key in EXPECTED_WARNINGS)
    [warning] = EXPECTED_WARNINGS
    label = re.sub(r"\s*\((advarsel|blokerende)\)\.?$", "", suites[warning].description)
    out = demo_warehouse.output
    assert re.findall(r"^  (?:Advarsel|BLOKERENDE fejl): .*$", out, re.M) == [
        f"  Advarsel: {label.removesuffix('.')} (tabel marts.fct_inclusion_reconciliation)"
    ]
    marts = [key for key in suites if key[0].startswith("marts/")]
    assert re.search(
        rf"Kontrol af datamodellerne: {len(marts) - 1} af {len(marts)} godkendt, 1 med advarsel$",
        out,
        re.M,
    ), out


def test_every_dbt_data_test_of_a_build_ran_on_data_and_passed(demo_warehouse):
    """The dbt data tests a warehouse build runs — every one but the ci_only ones, which
    tests/e2e/test_all_data_tests.py runs on this warehouse — ran in the demo build on tables
    that have rows (on an empty warehouse they would pass trivially): each one by its id in
    dbt's run_results.json of the build, passed, and the table it tests is not empty."""
    import json

    from orchestration.assets.dbt import data_test_outcomes, runs_in_warehouse_build
    from orchestration.project import dbt_project
    from orchestration.text import number
    from orchestration.warehouse import dbt_target_path

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    expected = {
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and runs_in_warehouse_build(node)
    }
    # the column tests run as one column_rules test per table (one each in expected, below)
    assert len(expected) > 60
    kinds = [(manifest["nodes"][uid].get("test_metadata") or {}).get("name") for uid in expected]
    assert kinds.count("column_rules") > 40
    target = dbt_target_path(demo_warehouse.database)
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    statuses = {
        r["unique_id"]: r["status"]
        for r in run_results["results"]
        if r["unique_id"].startswith("test.")
    }
    assert set(statuses) == expected
    assert {uid for uid, status in statuses.items() if status != "pass"} == set()
    tested = {".".join(t.relation) for t in data_test_outcomes(run_results, manifest)}
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        rows = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tested}
    assert sorted(t for t, n in rows.items() if n == 0) == []
    n = number(len(expected))
    assert re.search(rf"{n} af {n} dbt-datatests bestået$", demo_warehouse.output, re.M)


def test_dbt_file_log_keeps_warnings_only_and_sends_no_usage_statistics(demo_warehouse):
    """dbt's file log of the build holds no info or debug lines (the nodes' progress is in the
    Dagster history; at debug it wrote every query's text, ~10 MB per demo build), and dbt ran
    with its anonymous usage statistics off."""
    import json

    from orchestration.warehouse import dbt_target_path

    target = dbt_target_path(demo_warehouse.database)
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    assert run_results["args"]["log_level_file"] == "warn"
    assert run_results["args"]["send_anonymous_usage_stats"] is False
    build = run_results["metadata"]["invocation_id"]
    log = target / "dbt.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    events = [json.loads(line)["info"] for line in lines]
    levels = {e["level"] for e in events if e["invocation_id"] == build}
    assert levels <= {"warn", "error"}


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
    # the rejected rows are the bad rows the generator planted and lists, no more, no fewer
    assert rejected == bad_rows(demo_warehouse.landing).height


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
    assert sum(r[3] for r in log) == bad_rows(demo_warehouse.landing).height  # all planted


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
