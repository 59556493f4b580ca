"""The pure dbt-argument builders and the failure reader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from orchestration.assets.dbt import dbt_build_args, failed_nodes
from orchestration.dbt_invocation import DBT_PROJECT_DIR, dbt_args


def test_dagster_build_args_carry_as_of_as_a_json_var():
    args = dbt_build_args(date(2025, 11, 15))
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"as_of": "2025-11-15"}
    # unit tests belong to `make test`; dagster-dbt adds the selection, the resource the target
    assert args[3:] == ["--exclude-resource-type", "unit_test"]


def test_run_dbt_args_name_project_profiles_and_own_target_path():
    args = dbt_args(
        "build", as_of=date(2024, 2, 29), target_path=Path("/tmp/x/target"), select=["tag:a"]
    )
    assert args[0] == "build"
    assert args[args.index("--project-dir") + 1] == str(DBT_PROJECT_DIR)
    assert args[args.index("--profiles-dir") + 1] == str(DBT_PROJECT_DIR)
    assert args[args.index("--target-path") + 1] == "/tmp/x/target"
    assert json.loads(args[args.index("--vars") + 1]) == {"as_of": "2024-02-29"}
    assert args[-2:] == ["--select", "tag:a"]


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
