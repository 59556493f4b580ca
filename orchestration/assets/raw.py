"""The raw layer: one ingest run writes every raw.* and audit.* table (docs/domain.md §3).

Keys are ["raw", <table>] so they are the very assets dbt's `source('raw', …)` points at.
"""

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource

from ingest.raw_schema import AUDIT_TABLES, OTHER_TABLES, REGISTER_TABLES
from orchestration.resources import LandingResource, connect

RAW_TABLES = [*REGISTER_TABLES, *OTHER_TABLES]
RAW_KEYS = [AssetKey(["raw", t]) for t in RAW_TABLES] + [
    AssetKey(["audit", t]) for t in AUDIT_TABLES
]


def _description(key: AssetKey) -> str:
    schema, table = key.path
    if schema == "audit":
        return f"audit.{table}: indlæsningslog/karantæne (docs/domain.md §3.2)."
    return f"raw.{table}: indlæst af ingest fra landing-mappen (docs/domain.md §3)."


@multi_asset(
    specs=[AssetSpec(key, group_name="raw", description=_description(key)) for key in RAW_KEYS],
    name="ingest_landing",
    can_subset=False,
)
def ingest_landing(
    context: AssetExecutionContext, warehouse: DuckDBResource, landing: LandingResource
):
    """Read the landing folder (registers, jobindsats, rules, targets) into raw.* and audit.*."""
    from ingest.landing import load_landing

    with connect(warehouse) as conn:
        load_landing(
            conn,
            landing.path,
            config_path=landing.rules_path,
            progress=context.log.info,
            as_of=landing.as_of_date,
        )
        counts = {
            key: conn.execute(f"SELECT count(*) FROM {'.'.join(key.path)}").fetchone()[0]
            for key in RAW_KEYS
        }
    for key in RAW_KEYS:
        yield MaterializeResult(asset_key=key, metadata={"rows": counts[key]})
