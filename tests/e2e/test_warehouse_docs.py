"""The documentation where users look: dbt's descriptions as DuckDB comments in the demo
warehouse (persist_docs), and `rummelig docs` (make docs) writing dbt's static docs site."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("warehouse_docs")]

MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models"


def _documented(model: str) -> tuple[str, dict[str, str]]:
    """The model's description and its columns' descriptions, read from the YAML beside it."""
    for path in MODELS.rglob("*.yml"):
        for node in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if node["name"] == model:
                columns = {c["name"]: c["description"] for c in node.get("columns", [])}
                return node["description"], columns
    raise AssertionError(f"{model} is not documented")


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_fct_sickness_columns_carry_their_dbt_descriptions(demo_warehouse):
    description, columns = _documented("fct_sickness")
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        comments = dict(
            conn.execute(
                "select column_name, comment from duckdb_columns()"
                " where schema_name = 'marts' and table_name = 'fct_sickness'"
            ).fetchall()
        )
        [table_comment] = conn.execute(
            "select comment from duckdb_tables()"
            " where schema_name = 'marts' and table_name = 'fct_sickness'"
        ).fetchone()
    assert {"absence_pct", "persons_at_trigger", "suppressed"} <= set(columns)
    assert {name: _squash(comments[name]) for name in columns} == {
        name: _squash(text) for name, text in columns.items()
    }
    assert _squash(table_comment) == _squash(description)


def test_every_mart_and_its_every_column_has_a_comment(demo_warehouse):
    with duckdb.connect(str(demo_warehouse.database), read_only=True) as conn:
        tables = conn.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
            " and coalesce(comment, '') = ''"
        ).fetchall()
        columns = conn.execute(
            "select table_name || '.' || column_name from duckdb_columns()"
            " where schema_name = 'marts' and coalesce(comment, '') = ''"
        ).fetchall()
        n_marts = conn.execute(
            "select count(*) from duckdb_tables() where schema_name = 'marts'"
        ).fetchone()[0]
    assert n_marts >= 10
    assert tables == [] and columns == []


def test_make_docs_writes_one_offline_page_with_the_marts(demo_warehouse, tmp_path):
    from click.testing import CliRunner

    from orchestration.cli import cli

    out = tmp_path / "docs"
    args = ["docs", "--out", str(out), "--database", str(demo_warehouse.database)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    index = out / "index.html"
    assert f"dbt-dokumentationen er skrevet: {index}" in result.output
    html = index.read_text(encoding="utf-8")
    # dbt's static site embeds the manifest and the catalog: the marts and their columns
    for needle in ["model.rummelig.fct_sickness", "persons_at_trigger", "fct_quota_status"]:
        assert needle in html, needle
    assert "catalog" in html and '"absence_pct"' in html
