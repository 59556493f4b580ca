"""Reports as assets, each downstream of exactly the relations it reads (`ReportSpec.reads`), so
the lineage runs from landing file to report. A report asset writes its HTML and XLSX files for
the build's period (the as_of year unless the resource names one) into the report folder."""

from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_duckdb import DuckDBResource

from orchestration.resources import LandingResource, ReportsResource
from reports.errors import ReportError
from reports.registry import all_reports
from reports.spec import ReportSpec


def report_asset(spec: ReportSpec) -> AssetsDefinition:
    @asset(
        key=AssetKey(["reports", spec.name]),
        deps=[AssetKey(relation.split(".")) for relation in spec.reads],
        group_name="reports",
        description=f"{spec.title}: {spec.description}" if spec.description else spec.title,
        kinds={"html", "xlsx"},
    )
    def _report(
        context: AssetExecutionContext,
        warehouse: DuckDBResource,
        landing: LandingResource,
        reports: ReportsResource,
    ) -> MaterializeResult:
        from reports.registry import run_report

        period = reports.period or str(landing.as_of_date.year)
        try:
            paths = run_report(
                spec.name,
                Path(warehouse.database),
                period=period,
                out_dir=Path(reports.folder),
                connection_config=dict(warehouse.connection_config),
            )
        except ReportError as exc:
            raise Failure(description=f"Rapporten {spec.name}: {exc}") from exc
        context.log.info(f"rapport {spec.name}: " + ", ".join(p.name for p in paths))
        return MaterializeResult(
            metadata={
                "period": period,
                "files": MetadataValue.json([str(p) for p in paths]),
                "folder": MetadataValue.path(str(Path(reports.folder).resolve())),
            }
        )

    return _report


REPORT_ASSETS = [report_asset(spec) for _, spec in sorted(all_reports().items())]
