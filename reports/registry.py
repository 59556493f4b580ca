"""Report discovery and the single entry point the CLI calls: `run_report(name, database, ...)`.

Every module in reports/ that defines `REPORT = ReportSpec(...)` is a report. A module that fails
to import does not hide the others; its error is shown when its report is asked for by name or
when the requested name is unknown.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import duckdb

import reports
from reports.common import ReportError, ReportSpec, parse_period

# Modules that hold machinery, not reports (skipped, so a slow import is not paid twice).
_NOT_REPORTS = {"common", "registry", "charts", "xlsx"}


def discover() -> tuple[dict[str, ReportSpec], dict[str, str]]:
    """(report name → spec, module name → import error) for every module in reports/."""
    found: dict[str, ReportSpec] = {}
    broken: dict[str, str] = {}
    for mod in sorted(pkgutil.iter_modules(reports.__path__), key=lambda m: m.name):
        if mod.name in _NOT_REPORTS or mod.name.startswith("_") or mod.ispkg:
            continue
        try:
            module = importlib.import_module(f"reports.{mod.name}")
        except Exception as exc:  # noqa: BLE001 — one broken report must not hide the others
            broken[mod.name] = f"{type(exc).__name__}: {exc}"
            continue
        spec = getattr(module, "REPORT", None)
        if isinstance(spec, ReportSpec):
            if spec.name in found:
                raise ReportError(f"Rapportnavnet {spec.name!r} er brugt af to moduler.")
            found[spec.name] = spec
    return found, broken


def all_reports() -> dict[str, ReportSpec]:
    """Every importable report, by name."""
    return discover()[0]


def get_report(name: str) -> ReportSpec:
    found, broken = discover()
    if name in found:
        return found[name]
    known = ", ".join(sorted(found)) or "ingen"
    msg = f"Ukendt rapport {name!r}. Kendte rapporter: {known}."
    if broken:
        msg += " Kunne ikke indlæses: " + "; ".join(f"{m} ({e})" for m, e in broken.items())
    raise ReportError(msg)


def run_report(name: str, database: Path, *, period: str, out_dir: Path, **options) -> list[Path]:
    """Render report `name` for `period` ('2025', '2025Q3', '2025-11') from the warehouse file.

    Opens the DuckDB file read-only (a report never writes) and returns the written files.
    """
    spec = get_report(name)
    parse_period(period)  # fail early with a clear message, before opening the database
    database = Path(database)
    if not database.exists():
        raise ReportError(f"Databasen {database} findes ikke.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as conn:
        return spec.render(conn, period=period, out_dir=out_dir, **options)
