"""The project's own table and view materializations (dbt_project/macros/materializations/):
one CREATE OR REPLACE per model with the documentation as DuckDB comments, on a new warehouse,
over the relations of an earlier build, and over a relation of the other type."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.warehouse import dbt_target_path
from tests.support.warehouse import empty_warehouse, run_dbt

pytestmark = pytest.mark.xdist_group("lean_materializations")

AS_OF = date(2025, 11, 15)
MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models"
# A view (staging), the table built on it and the table between them.
SELECTED = ["stg_org_units", "int_org_unit_ancestors", "int_org_units"]


def _documented(model: str) -> tuple[str, dict[str, str]]:
    for path in MODELS.rglob("*.yml"):
        for node in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if node["name"] == model:
                return node["description"], {c["name"]: c["description"] for c in node["columns"]}
    raise AssertionError(model)


def _relations(db: Path) -> dict[str, tuple[str, str | None]]:
    """schema.name → (type, comment) of every relation outside raw/audit."""
    with duckdb.connect(str(db)) as conn:
        rows = conn.execute(
            "select schema_name || '.' || table_name, 'table', comment from duckdb_tables()"
            " union all"
            " select schema_name || '.' || view_name, 'view', comment from duckdb_views()"
            " where not internal"
        ).fetchall()
    return {
        name: (kind, comment)
        for name, kind, comment in rows
        if name.split(".")[0] in ("staging", "intermediate")
    }


def _column_comments(db: Path, schema: str, table: str) -> dict[str, str]:
    with duckdb.connect(str(db)) as conn:
        return dict(
            conn.execute(
                "select column_name, comment from duckdb_columns()"
                " where schema_name = ? and table_name = ?",
                [schema, table],
            ).fetchall()
        )


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return empty_warehouse(tmp_path_factory.mktemp("lean") / "lean.duckdb")


def _run(db: Path) -> None:
    """`dbt run` of the selection (its unit tests need models outside it)."""
    run_dbt("run", database=db, as_of=AS_OF, select=SELECTED)


def _assert_built_and_documented(db: Path) -> None:
    relations = _relations(db)
    # Only the selected models: no intermediate or backup relation is left behind.
    assert sorted(relations) == [
        "intermediate.int_org_unit_ancestors",
        "intermediate.int_org_units",
        "staging.stg_org_units",
    ]
    assert relations["staging.stg_org_units"][0] == "view"
    assert relations["intermediate.int_org_units"][0] == "table"
    description, columns = _documented("int_org_units")
    assert _squash(relations["intermediate.int_org_units"][1]) == _squash(description)
    comments = _column_comments(db, "intermediate", "int_org_units")
    assert {name: _squash(comments[name]) for name in columns} == {
        name: _squash(text) for name, text in columns.items()
    }
    view_description, view_columns = _documented("stg_org_units")
    assert _squash(relations["staging.stg_org_units"][1]) == _squash(view_description)
    view_comments = _column_comments(db, "staging", "stg_org_units")
    assert _squash(view_comments["p_number"]) == _squash(view_columns["p_number"])


def test_a_first_build_creates_each_model_in_one_statement(warehouse):
    _run(warehouse)
    _assert_built_and_documented(warehouse)
    run_sql = next(dbt_target_path(warehouse).rglob("run/**/int_org_units.sql")).read_text()
    # One statement builds the table (no intermediate table renamed into place).
    assert run_sql.lower().count("create or replace table") == 1
    assert "__dbt_tmp" not in run_sql and "rename" not in run_sql.lower()


def test_a_rebuild_replaces_the_relations_of_the_last_build(warehouse):
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("comment on table intermediate.int_org_units is 'forældet'")
    _run(warehouse)
    _assert_built_and_documented(warehouse)


def test_a_relation_of_the_other_type_is_replaced(warehouse):
    """A model that changed materialization: the old relation of the other type is dropped."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("drop view staging.stg_org_units")
        conn.execute("create table staging.stg_org_units as select 1 as org_unit_id")
        conn.execute("drop table intermediate.int_org_units")
        conn.execute("create view intermediate.int_org_units as select 1 as org_unit_id")
    _run(warehouse)
    _assert_built_and_documented(warehouse)
