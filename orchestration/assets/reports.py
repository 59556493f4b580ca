"""Reports as assets, each downstream of exactly the relations it reads (`ReportSpec.reads`), so
the lineage runs from landing file to report. A report asset writes its HTML and XLSX files for
the build's period (the as_of year unless the resource names one) into the report folder.

The reports of a run are one step (a multi-asset that can run any subset): in a build they
render two at a time in the build's report processes (orchestration/report_pool.py). A report
that fails does not stop the others; the step then fails naming it."""

from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)
from dagster_duckdb import DuckDBResource

from orchestration.report_pool import REPORTS_STEP, render_reports
from orchestration.resources import LandingResource, ReportsResource
from reports.errors import ReportError
from reports.registry import all_reports
from reports.spec import ReportSpec


def report_spec(spec: ReportSpec) -> AssetSpec:
    return AssetSpec(
        key=AssetKey(["reports", spec.name]),
        deps=[AssetKey(relation.split(".")) for relation in spec.reads],
        group_name="reports",
        description=f"{spec.title}: {spec.description}" if spec.description else spec.title,
        kinds={"html", "xlsx"},
    )


@multi_asset(
    specs=[report_spec(spec) for _, spec in sorted(all_reports().items())],
    name=REPORTS_STEP,
    can_subset=True,  # `rummelig dev` or the jobindsats sensor may ask for some of them
)
def report_assets(
    context: AssetExecutionContext,
    warehouse: DuckDBResource,
    landing: LandingResource,
    reports: ReportsResource,
):
    period = reports.period or str(landing.as_of_date.year)
    names = sorted(key.path[1] for key in context.selected_asset_keys)
    config = dict(warehouse.connection_config)
    failed = []
    for name, future in render_reports(names, warehouse.database, period, reports.folder, config):
        try:
            paths = future.result()
        except ReportError as exc:
            failed.append(f"Rapporten {name}: {exc}")
            continue
        context.log.info(f"rapport {name}: " + ", ".join(p.name for p in paths))
        yield MaterializeResult(
            asset_key=AssetKey(["reports", name]),
            metadata={
                "period": period,
                "files": MetadataValue.json([str(p) for p in paths]),
                "folder": MetadataValue.path(str(Path(reports.folder).resolve())),
            },
        )
    if failed:
        raise Failure(description="; ".join(failed))


REPORT_ASSETS = [report_assets]
