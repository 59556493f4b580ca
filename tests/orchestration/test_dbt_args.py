"""The pure dbt-argument builders and the failure reader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from orchestration.assets.dbt import (
    COLUMN_RULE_KINDS,
    data_test_outcomes,
    dbt_build_args,
    failed_nodes,
    runs_in_warehouse_build,
)
from orchestration.limits import Limits, duckdb_settings
from orchestration.project import dbt_vars

SETTINGS = {"memory_limit": "2252MiB", "threads": "2", "temp_directory": "/data/w.duckdb.tmp"}


def test_dagster_build_args_carry_as_of_database_and_duckdb_settings_as_json_vars():
    args = dbt_build_args(date(2025, 11, 15), Path("/data/w.duckdb"), SETTINGS, threads=2)
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {
        "as_of": "2025-11-15",
        "database": "/data/w.duckdb",
        "duckdb": SETTINGS,
    }
    # unit tests, the ci_only data tests and the column tests one by one (each table's
    # column_rules runs them) belong to `make test`; dagster-dbt adds the selection
    assert args[3:] == [
        "--threads",
        "2",
        "--exclude-resource-type",
        "unit_test",
        "--exclude",
        "tag:ci_only test_name:not_null test_name:unique test_name:accepted_values"
        " test_name:not_null_columns test_name:non_negative_columns test_name:unique_grain",
    ]


def test_vars_are_sorted_so_equal_builds_share_dbt_partial_parsing():
    # dbt re-parses the whole project when the vars string changes: it must be stable
    settings = duckdb_settings(Limits(memory=4 << 30, threads=2), Path("/a.duckdb"))
    assert dbt_vars(date(2024, 2, 29), Path("/a.duckdb"), settings) == (
        '{"as_of": "2024-02-29", "database": "/a.duckdb", "duckdb": {"memory_limit": "2252MiB",'
        ' "temp_directory": "/a.duckdb.tmp", "threads": "2"}}'
    )


def test_staging_and_intermediate_tests_are_left_to_make_test():
    from orchestration.project import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text())
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    by_layer: dict[str, set[bool]] = {}
    for test in tests:
        if (test.get("test_metadata") or {}).get("name") in COLUMN_RULE_KINDS:
            continue  # one by one in `make test`, in a build through column_rules (below)
        folder = test["original_file_path"].split("/")
        layer = folder[1] if folder[0] == "models" else folder[0]
        by_layer.setdefault(layer, set()).add(runs_in_warehouse_build(test))
    assert by_layer["staging"] == {False} and by_layer["intermediate"] == {False}
    assert by_layer["marts"] == {True} and by_layer["reporting"] == {True}
    # the sources' tests check the build's own input (raw): every build runs them
    assert by_layer["sources"] == {True}
    on_sources = [t for t in tests if t["depends_on"]["nodes"][0].startswith("source.")]
    assert len(on_sources) > 10
    assert all(
        runs_in_warehouse_build(t)
        != ((t.get("test_metadata") or {}).get("name") in COLUMN_RULE_KINDS)
        for t in on_sources
    )
    singular = {t["name"]: runs_in_warehouse_build(t) for t in tests if t["fqn"][1] == t["name"]}
    assert singular["assert_calendar_index_is_running_count"] is False
    assert singular["assert_placements_monthly_reconciles"] is True


def test_data_test_outcomes_name_the_tested_relation_and_leave_out_skipped_tests():
    manifest = {
        "nodes": {
            "model.r.fct_a": {"resource_type": "model", "schema": "marts", "name": "fct_a"},
            "test.r.nn": {
                "resource_type": "test",
                "name": "not_null_fct_a_x",
                "attached_node": "model.r.fct_a",
                "depends_on": {"nodes": ["model.r.fct_a"]},
            },
            "test.r.single": {
                "resource_type": "test",
                "name": "assert_a",
                "attached_node": None,
                "depends_on": {"nodes": ["model.r.fct_a"]},
            },
            "test.r.gone": {
                "resource_type": "test",
                "name": "skipped_one",
                "attached_node": "model.r.fct_a",
                "depends_on": {"nodes": ["model.r.fct_a"]},
            },
        }
    }
    run_results = {
        "results": [
            {"unique_id": "model.r.fct_a", "status": "success"},
            {"unique_id": "test.r.nn", "status": "fail"},
            {"unique_id": "test.r.single", "status": "warn"},
            {"unique_id": "test.r.gone", "status": "skipped"},
        ]
    }
    outcomes = data_test_outcomes(run_results, manifest)
    assert [(o.relation, o.name, o.passed, o.blocking) for o in outcomes] == [
        (("marts", "fct_a"), "not_null_fct_a_x", False, True),
        (("marts", "fct_a"), "assert_a", False, False),
    ]


def test_failed_nodes_lists_errors_and_failures_only():
    run_results = {
        "results": [
            {"unique_id": "model.rummelig.a", "status": "success", "message": "OK"},
            {"unique_id": "test.rummelig.b", "status": "fail", "message": "Got 3 results"},
            {"unique_id": "model.rummelig.c", "status": "error", "message": " syntax \n"},
            {"unique_id": "model.rummelig.d", "status": "skipped", "message": None},
        ]
    }
    assert failed_nodes(run_results) == [
        "test.rummelig.b: fail — Got 3 results",
        "model.rummelig.c: error — syntax",
    ]


def test_every_table_with_column_tests_has_one_column_rules_test_that_a_build_runs():
    """A build leaves the column tests of COLUMN_RULE_KINDS to each table's `column_rules` test:
    a table with such tests and no column_rules would go untested in every build, and one with a
    column_rules but none of them runs a test that checks nothing."""
    from orchestration.assets.dbt import COLUMN_RULE_KINDS
    from orchestration.project import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text())
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]

    def tested(test: dict) -> str:
        sources = [uid for uid in test["depends_on"]["nodes"] if uid.startswith("source.")]
        return test.get("attached_node") or sources[0]

    def kind(test: dict) -> str | None:
        return (test.get("test_metadata") or {}).get("name")

    grouped = {
        tested(t) for t in tests if kind(t) in COLUMN_RULE_KINDS and "ci_only" not in t["tags"]
    }
    rules = [tested(t) for t in tests if kind(t) == "column_rules"]
    assert sorted(rules) == sorted(grouped) and len(grouped) > 40
    assert all(runs_in_warehouse_build(t) for t in tests if kind(t) == "column_rules")
    assert not any(runs_in_warehouse_build(t) for t in tests if kind(t) in COLUMN_RULE_KINDS)
