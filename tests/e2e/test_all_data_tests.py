"""The dbt data tests a warehouse build leaves out run here, on a copy of the demo warehouse.

A build runs the data tests of the sources (its input) and of the published layers (marts,
reporting); the tests of staging and intermediate and the calendar's singular tests are tagged
`ci_only` (dbt_project.yml, orchestration/assets/dbt.py `WAREHOUSE_BUILD_SKIPS`), and the
published tables' column tests run as one `column_rules` test per table
(macros/test_column_rules.sql). So that every data test still runs on real data in `make test`,
this runs exactly those on the demo's own tables: each must have run and passed, on a table that
is not empty; and a table's `column_rules` must fail exactly where the tests it stands for fail.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from orchestration.assets.dbt import (
    COLUMN_RULE_KINDS,
    WAREHOUSE_BUILD_SKIPS,
    runs_in_warehouse_build,
)
from orchestration.project import dbt_project
from tests.support.warehouse import run_dbt

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_warehouse")]


def _ci_only_tests() -> tuple[dict[str, dict], dict]:
    """The ci_only data tests by unique id, and the manifest."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    tests = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and not runs_in_warehouse_build(node)
    }
    return tests, manifest


def test_the_data_tests_a_build_skips_pass_on_the_demo_warehouse(demo_warehouse, tmp_path):
    tests, manifest = _ci_only_tests()
    assert len(tests) > 200  # staging and intermediate are most of the project's tests
    copy = tmp_path / "demo.duckdb"  # dbt opens the file for writing: never the shared demo
    shutil.copyfile(demo_warehouse.database, copy)
    outcome = run_dbt(
        "test",
        database=copy,
        as_of=demo_warehouse.as_of,
        select=list(WAREHOUSE_BUILD_SKIPS),  # ci_only, and the column tests one by one
        extra=["--exclude-resource-type", "unit_test"],
        target_path=tmp_path / "target",
        raise_on_failure=False,
    )
    statuses = dict(outcome.results)
    assert set(statuses) == set(tests)  # exactly the skipped ones, every one of them
    assert outcome.failures == [] and set(statuses.values()) == {"pass"}
    tested = set()
    for test in tests.values():
        parent = test.get("attached_node") or test["depends_on"]["nodes"][0]
        node = manifest["nodes"].get(parent) or manifest["sources"][parent]
        tested.add(f"{node['schema']}.{node['name']}")
    with duckdb.connect(str(copy), read_only=True) as conn:
        rows = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tested}
    empty = sorted(t for t, n in rows.items() if n == 0)
    assert empty == []


@pytest.mark.parametrize(
    ("model", "test", "break_two_rows", "column"),
    [
        ("dim_org_unit", "not_null_columns", "set path = null", "path"),
        ("fct_placements_monthly", "non_negative_columns", "set starts = -1", "starts"),
    ],
)
def test_a_model_level_column_test_fails_and_names_the_column(
    demo_warehouse, tmp_path, model, test, break_two_rows, column
):
    """The published models' not-null and non-negative checks are one test per model each
    (macros/test_not_null_columns.sql, test_non_negative_columns.sql): it passes on the demo,
    fails when one of its columns breaks in two rows, and its rows name that column and count
    the two rows."""
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse.database, copy)
    select = [f"{model},test_name:{test}"]
    target = tmp_path / "target"
    clean = run_dbt(
        "test", database=copy, as_of=demo_warehouse.as_of, select=select,
        target_path=target, raise_on_failure=False,
    )  # fmt: skip
    assert [status for _, status in clean.results] == ["pass"]
    with duckdb.connect(str(copy)) as conn:
        conn.execute(
            f"update marts.{model} {break_two_rows} where rowid in "
            f"(select rowid from marts.{model} order by rowid limit 2)"
        )
    broken = run_dbt(
        "test", database=copy, as_of=demo_warehouse.as_of, select=select,
        target_path=target, raise_on_failure=False,
    )  # fmt: skip
    assert [status for _, status in broken.results] == ["fail"]
    (compiled,) = (target / "compiled").rglob(f"{test}_*.sql")  # the one test selected
    with duckdb.connect(str(copy), read_only=True) as conn:
        assert conn.execute(compiled.read_text(encoding="utf-8")).fetchall() == [(column, 2)]


def _tested(test: dict) -> str | None:
    """The unique id of the model, seed or source a generic test tests (None: singular)."""
    sources = (uid for uid in test["depends_on"]["nodes"] if uid.startswith("source."))
    return test.get("attached_node") or next(sources, None)


def _kind(test: dict) -> str | None:
    return (test.get("test_metadata") or {}).get("name")


def test_column_rules_fail_exactly_where_the_column_tests_they_stand_for_fail(
    demo_warehouse, tmp_path
):
    """fct_kpi (accepted values, not-null columns, a grain) and the source raw.engagements (its
    key's uniqueness), broken in several ways at once: each table's column_rules test
    fails, and its rows are exactly its failing column tests, each with dbt's own failure count."""
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse.database, copy)
    tables = {"model.rummelig.fct_kpi", "source.rummelig.raw.engagements"}
    target = tmp_path / "target"
    args = {
        "database": copy,
        "as_of": demo_warehouse.as_of,
        "select": ["fct_kpi", "source:rummelig.raw.engagements"],
        "target_path": target,
        "raise_on_failure": False,
    }
    assert run_dbt("test", **args).failures == []
    first = "(select rowid from marts.fct_kpi order by rowid limit {})"
    with duckdb.connect(str(copy)) as conn:
        conn.execute(
            f"update marts.fct_kpi set scope_type = 'land' where rowid in {first.format(2)}"
        )
        conn.execute(f"update marts.fct_kpi set direction = 'op' where rowid in {first.format(3)}")
        conn.execute(
            f"update marts.fct_kpi set period_label = null where rowid in {first.format(1)}"
        )
        conn.execute("insert into marts.fct_kpi select * from marts.fct_kpi limit 4")  # the grain
        # raw's NOT NULL constraint keeps nulls out of the key: duplicates only
        conn.execute("insert into raw.engagements select * from raw.engagements limit 2")
    run_dbt("test", **args)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    ran = {r["unique_id"]: r for r in run_results["results"] if r["unique_id"].startswith("test.")}
    failing: set[str] = set()
    for table in tables:
        tests = [manifest["nodes"][uid] for uid in ran if _tested(manifest["nodes"][uid]) == table]
        [rules] = [t for t in tests if _kind(t) == "column_rules"]
        assert ran[rules["unique_id"]]["status"] == "fail"
        (compiled,) = (target / "compiled").rglob(f"{rules['name']}.sql")
        with duckdb.connect(str(copy), read_only=True) as conn:
            reported = dict(conn.execute(compiled.read_text(encoding="utf-8")).fetchall())
        stood_for = {
            t["name"]: ran[t["unique_id"]]["failures"]
            for t in tests
            if _kind(t) in COLUMN_RULE_KINDS and ran[t["unique_id"]]["status"] == "fail"
        }
        assert reported == stood_for, (table, reported, stood_for)
        failing |= set(reported)
    assert len(failing) == 5  # 2 accepted values, not-null columns, the grain; the key unique
