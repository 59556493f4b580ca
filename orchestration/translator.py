"""dbt nodes → Dagster: keys are [schema, name] (sources ["raw", <table>] meet the raw assets,
marts ["marts", <model>] meet the GX suites); groups are the model folders. dbt data tests are
not Dagster asset checks (orchestration/assets/dbt.py says why)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster import AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings


class RummeligTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return "raw" if dbt_resource_props["resource_type"] == "seed" else fqn[1]
