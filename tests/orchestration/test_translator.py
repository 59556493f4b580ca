"""dbt nodes → Dagster keys and groups, and the lineage between ingest and dbt."""

from __future__ import annotations

from dagster import AssetKey

from orchestration.translator import RummeligTranslator

T = RummeligTranslator()


def _props(resource_type, schema, name, fqn):
    return {"resource_type": resource_type, "schema": schema, "name": name, "fqn": fqn}


def test_models_are_keyed_by_schema_and_grouped_by_folder():
    staging = _props("model", "staging", "stg_engagements", ["rummelig", "staging", "stg_x"])
    assert T.get_asset_key(staging) == AssetKey(["staging", "stg_engagements"])
    assert T.get_group_name(staging) == "staging"
    mart = _props("model", "marts", "fct_quota_status", ["rummelig", "marts", "quota", "f"])
    assert T.get_asset_key(mart) == AssetKey(["marts", "fct_quota_status"])
    assert T.get_group_name(mart) == "marts"  # sub-folders of marts stay in marts
    inter = _props("model", "intermediate", "int_calendar", ["rummelig", "intermediate", "i"])
    assert T.get_group_name(inter) == "intermediate"


def test_sources_and_seeds_are_raw_tables():
    source = _props("source", "raw", "engagements", ["rummelig", "raw", "engagements"])
    assert T.get_asset_key(source) == AssetKey(["raw", "engagements"])
    seed = _props("seed", "raw", "kommuner", ["rummelig", "kommuner"])
    assert T.get_asset_key(seed) == AssetKey(["raw", "kommuner"])
    assert T.get_group_name(seed) == "raw"


def test_every_dbt_source_is_an_asset_of_ingest_or_a_seed():
    from orchestration.assets.raw import RAW_KEYS
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    materializable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    dbt_inputs = {
        dep for key in materializable if key.path[0] != "raw" for dep in graph.get(key).parent_keys
    }
    dangling = sorted(k.to_user_string() for k in dbt_inputs - materializable)
    assert not dangling, dangling
    # the registers dbt reads come from the ingest multi-asset, not from loose source assets
    assert AssetKey(["raw", "engagements"]) in RAW_KEYS
    assert AssetKey(["raw", "engagements"]) in {
        d for key in materializable for d in graph.get(key).parent_keys
    }
