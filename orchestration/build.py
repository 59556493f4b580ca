"""One build of the warehouse through Dagster: ingest → dbt → checks, and its summary.

Used by `rummelig build`/`demo` and by the tests' `demo_warehouse` fixture, so the tests exercise
the very path a user runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingest.landing import load_notes
from ingest.raw_schema import REGISTER_TABLES


class BuildError(RuntimeError):
    """A problem the user can fix (missing folder, bad date); shown as one line."""


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    blocking: bool
    kind: str  # gx | dbt

    @property
    def label(self) -> str:
        return f"{self.asset}/{self.name}"


@dataclass
class BuildOutcome:
    database: Path
    as_of: date
    success: bool
    seconds: float
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed]

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        return [c for c in self.failed_checks if c.blocking]

    def failure_message(self) -> str:
        """One clear line saying why the build failed."""
        if self.blocking_failures:
            labels = [c.label for c in self.blocking_failures]
            names = ", ".join(labels[:3]) + (
                f" og {len(labels) - 3} flere" if len(labels) > 3 else ""
            )
            return f"Bygget stoppede: blokerende kontrol fejlede ({names})."
        if self.errors:
            return "Bygget fejlede: " + self.errors[0].splitlines()[0]
        return "Bygget fejlede: " + (", ".join(self.failed_steps) or "ukendt årsag")


def _root_message(error) -> str:
    """The innermost error's message: Dagster wraps the op's own exception."""
    while error is not None and error.cause is not None:
        error = error.cause
    return "" if error is None else error.message.strip()


def _check_outcomes(result, gx_names: set[str]) -> list[CheckOutcome]:
    outcomes = []
    for evaluation in result.get_asset_check_evaluations():
        blocking = evaluation.severity.value == "ERROR"
        outcomes.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                name=evaluation.check_name,
                passed=evaluation.passed,
                blocking=blocking,
                kind="gx" if evaluation.check_name in gx_names else "dbt",
            )
        )
    return sorted(outcomes, key=lambda c: (c.passed, c.label))


def _check_rules(rules_file: Path) -> None:
    """A rules.yml the user must fix stops the build before it starts (one line, exit 2)."""
    from ingest.rules import RulesError, merged_rules

    try:
        merged_rules(rules_file if rules_file.is_file() else None)
    except RulesError as exc:
        raise BuildError(str(exc)) from exc


def run_build(
    input_dir: Path,
    database: Path,
    *,
    as_of: date,
    config_path: Path | None = None,
    echo: Callable[[str], None] | None = print,
) -> BuildOutcome:
    """Materialise the whole asset graph with its checks on `database`, in this process."""
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise BuildError(f"Inputmappen {input_dir} findes ikke.")
    if config_path is not None and not Path(config_path).is_file():
        raise BuildError(f"Konfigurationsfilen {config_path} findes ikke.")
    _check_rules(Path(config_path) if config_path else input_dir / "config" / "rules.yml")
    started = time.time()
    if echo:
        echo("[   0.0 s] dbt-manifest til Dagster (dbt parse hvis projektet er ændret)")
    from orchestration.manifest import ensure_manifest

    ensure_manifest()
    from dagster import DagsterInstance

    from expectations.suites import all_suites
    from orchestration.definitions import build_definitions
    from orchestration.progress import progress_logger, silent_logger
    from orchestration.resources import WarehouseResource

    warehouse = WarehouseResource(
        database=str(database),
        input_dir=str(input_dir),
        as_of=as_of.isoformat(),
        config_path=str(config_path) if config_path else "",
        echo_dbt_logs=False,
    )
    logger = progress_logger if echo else silent_logger
    defs = build_definitions(warehouse, loggers={"progress": logger})
    job = defs.resolve_job_def("build_all")
    gx_names = sorted(s.name for s in all_suites())
    logger_config = {"progress": {"config": {"verbose_checks": gx_names, "started": started}}}
    if not echo:
        logger_config = {"progress": {}}
    with DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config={"loggers": logger_config}
        )
        failures = result.get_step_failure_events()
        outcome = BuildOutcome(
            database=Path(database),
            as_of=as_of,
            success=result.success,
            seconds=time.time() - started,
            checks=_check_outcomes(result, set(gx_names)),
            failed_steps=[e.step_key for e in failures],
            errors=[
                _root_message(e.step_failure_data.error) for e in failures if e.step_failure_data
            ],
        )
    if outcome.blocking_failures:
        outcome.success = False
    return outcome


def _table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?"
    return conn.execute(sql, [schema, table]).fetchone()[0] > 0


def summary_lines(outcome: BuildOutcome) -> list[str]:
    """The short build summary a user reads (Danish)."""
    lines = [f"Resumé (as_of {outcome.as_of.isoformat()}, {outcome.seconds:.0f} s):"]
    if not outcome.database.exists():
        return [*lines, "  (ingen database skrevet)"]
    with duckdb.connect(str(outcome.database), read_only=True) as conn:
        counts = []
        for table in [*REGISTER_TABLES, "jobindsats"]:
            if _table_exists(conn, "raw", table):
                n = conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
                counts.append(f"{table} {n}")
        lines.append("  Rækker pr. register: " + ", ".join(counts))
        if _table_exists(conn, "audit", "quarantine"):
            errors, warnings = conn.execute(
                "SELECT count(*) FILTER (severity = 'error'),"
                " count(*) FILTER (severity = 'warning') FROM audit.quarantine"
            ).fetchone()
            lines.append(
                f"  Karantæne: {errors} fejl (række afvist), {warnings} advarsler (række indlæst)"
            )
        if _table_exists(conn, "audit", "load_log"):
            failed = conn.execute(
                "SELECT count(*) FROM (SELECT DISTINCT file_name FROM audit.load_log"
                " WHERE status = 'failed')"
            ).fetchone()[0]
            if failed:
                lines.append(f"  Filer der ikke kunne læses: {failed} (se audit.load_log)")
        for kind, note in load_notes(conn):
            lines.append(f"  {kind.capitalize()}: {note}")
        if _table_exists(conn, "marts", "fct_inclusion_reconciliation"):
            n = conn.execute("SELECT count(*) FROM marts.fct_inclusion_reconciliation").fetchone()[
                0
            ]
            lines.append(f"  Afstemning HR ↔ placeringer: {n} uafstemte poster")
    gx = [c for c in outcome.checks if c.kind == "gx"]
    dbt = [c for c in outcome.checks if c.kind == "dbt"]
    lines.append(
        f"  Kontroller: GX {sum(c.passed for c in gx)}/{len(gx)} ok,"
        f" dbt-tests {sum(c.passed for c in dbt)}/{len(dbt)} ok"
    )
    for check in outcome.failed_checks:
        level = "BLOKERENDE" if check.blocking else "advarsel"
        lines.append(f"  Fejlet kontrol ({check.kind}, {level}): {check.label}")
    if outcome.failed_steps:
        lines.append("  Fejlede trin: " + ", ".join(outcome.failed_steps))
    return lines
