"""The pure dbt-argument builders and the failure reader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from orchestration.assets.dbt import dbt_build_args, failed_nodes
from orchestration.project import dbt_vars


def test_dagster_build_args_carry_as_of_and_the_database_as_json_vars():
    args = dbt_build_args(date(2025, 11, 15), Path("/data/w.duckdb"))
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"as_of": "2025-11-15", "database": "/data/w.duckdb"}
    # unit tests belong to `make test`; dagster-dbt adds the selection, the asset the target
    assert args[3:] == ["--exclude-resource-type", "unit_test"]


def test_vars_are_sorted_so_equal_builds_share_dbt_partial_parsing():
    # dbt re-parses the whole project when the vars string changes: it must be stable
    assert dbt_vars(date(2024, 2, 29), Path("/a.duckdb")) == (
        '{"as_of": "2024-02-29", "database": "/a.duckdb"}'
    )


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
