"""The list of reports and the single entry point the CLI calls: `run_report(name, database, ...)`.

Reports are listed explicitly (REPORTS below): adding a report is adding its module here
(docs/reports.md, "How to add a report").
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from reports import benchmark, inklusion, kvote, sygefravaer
from reports.errors import ReportError
from reports.periods import parse_period
from reports.spec import ReportSpec
from reports.warehouse import table_exists

REPORTS: tuple[ReportSpec, ...] = (
    sygefravaer.REPORT,
    inklusion.REPORT,
    kvote.REPORT,
    benchmark.REPORT,
)


def all_reports() -> dict[str, ReportSpec]:
    """Every report, by name, in the order of REPORTS."""
    return {spec.name: spec for spec in REPORTS}


def get_report(name: str) -> ReportSpec:
    """The report called `name` or one of its aliases (case-insensitive)."""
    wanted = name.strip().casefold()
    for spec in REPORTS:
        if wanted == spec.name or wanted in (a.casefold() for a in spec.aliases):
            return spec
    known = ", ".join(spec.name for spec in REPORTS)
    raise ReportError(f"Ukendt rapport {name!r}. Kendte rapporter: {known}.")


def run_report(name: str, database: Path, *, period: str, out_dir: Path, **options) -> list[Path]:
    """Render report `name` for `period` ('2025', '2025Q3', '2025-11') from the warehouse file.

    Checks the name, the period and the database file before opening it; opens DuckDB
    read-only (a report never writes) and returns the written files.
    """
    spec = get_report(name)
    parse_period(period)  # fail early with a clear message, before opening the database
    database = Path(database)
    if not database.exists():
        raise ReportError(f"Databasen {database} findes ikke.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as conn:
        missing = [
            r for r in spec.reads if r.startswith("reporting.") and not table_exists(conn, r)
        ]
        if missing:
            raise ReportError(
                f"Varehuset {database} mangler {', '.join(missing)}: det er bygget med en ældre "
                "version af Rummelig. Byg det igen med rummelig build."
            )
        return spec.render(conn, period=period, out_dir=out_dir, **options)
