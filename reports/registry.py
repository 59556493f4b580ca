"""The list of reports and the single entry point the CLI calls: `run_report(name, database, ...)`.

Reports are listed explicitly (REPORTS below): adding a report is adding its module here
(docs/reports.md, "How to add a report").
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from reports import benchmark, hmu, inklusion, jobcenter, kvote, sygefravaer
from reports.errors import ReportError
from reports.periods import parse_period, quarter_option, year_option
from reports.spec import ReportSpec
from reports.warehouse import table_exists

REPORTS: tuple[ReportSpec, ...] = (
    sygefravaer.REPORT,
    inklusion.REPORT,
    kvote.REPORT,
    benchmark.REPORT,
    hmu.REPORT,
    jobcenter.REPORT,
)

# Options that name the period in a report's own words (`hmu --year 2025`); the value becomes
# the period code every report understands.
PERIOD_OPTIONS = {
    "year": (year_option, "--year 2025"),
    "quarter": (quarter_option, "--quarter 2025Q3"),
}
KIND_DA = {"year": "et år", "quarter": "et kvartal", "month": "en måned"}


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


def choose_period(spec: ReportSpec, period: str | None, options: dict) -> str:
    """The period code from `--period` or the report's own `--year` / `--quarter` (popped from
    `options`); exactly one must be given, of a kind the report is made for."""
    given: list[tuple[str, str]] = []
    if period is not None:
        given.append(("--period", parse_period(period).code))
    for name, (parse, example) in PERIOD_OPTIONS.items():
        if name not in spec.options:
            continue
        value = options.pop(name, None)
        if value is None:
            continue
        if not isinstance(value, str):  # the flag without a value
            raise ReportError(f"Tilvalget --{name} kræver en værdi, fx {example}.")
        given.append((f"--{name}", parse(value)))
    ways = [example for n, (_, example) in PERIOD_OPTIONS.items() if n in spec.options]
    ways.append("--period 2025")
    if not given:
        raise ReportError(f"Angiv rapportens periode: {' eller '.join(ways)}.")
    if len(given) > 1:
        named = ", ".join(flag for flag, _ in given)
        raise ReportError(f"Angiv perioden én gang (fik {named}).")
    code = given[0][1]
    kind = parse_period(code).kind
    if kind not in spec.period_kinds:
        allowed = " eller ".join(KIND_DA[k] for k in spec.period_kinds)
        raise ReportError(
            f"Rapporten {spec.name} laves for {allowed}, ikke for {KIND_DA[kind]} (fik {code})."
        )
    return code


def run_report(
    name: str,
    database: Path,
    *,
    period: str | None = None,
    out_dir: Path,
    connection_config: dict[str, str] | None = None,
    **options,
) -> list[Path]:
    """Render report `name` for `period` ('2025', '2025Q3', '2025-11') from the warehouse file.

    A report with `--year` / `--quarter` options may get its period from them instead
    (`choose_period`). Checks the name, the period and the database file before opening it;
    opens DuckDB read-only (a report never writes), with `connection_config` (the build's
    memory limit and threads) when given, and returns the written files.
    """
    spec = get_report(name)
    # fail early with a clear message, before opening the database
    period = choose_period(spec, period, options)
    database = Path(database)
    if not database.exists():
        raise ReportError(f"Databasen {database} findes ikke.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True, config=connection_config or {}) as conn:
        missing = [
            r for r in spec.reads if r.startswith("reporting.") and not table_exists(conn, r)
        ]
        if missing:
            raise ReportError(
                f"Varehuset {database} mangler {', '.join(missing)}: det er bygget med en ældre "
                "version af Rummelig. Byg det igen med rummelig build."
            )
        return spec.render(conn, period=period, out_dir=out_dir, **options)
