"""One build of the warehouse through Dagster: ingest → dbt → checks (→ reports), its summary.

Used by `rummelig build`/`demo` and by the tests' `demo_warehouse` fixture, so the tests exercise
the very path a user runs. Every build is a run of the `build_all` job on the warehouse's own
persistent Dagster instance (orchestration/warehouse.py), so `rummelig dev` shows it.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingest.landing import load_notes
from ingest.raw_schema import REGISTER_TABLES
from orchestration.errors import (
    BuildError,
    BuildResourceError,
    WarehouseIOError,
    disk_full,
    is_disk_full,
    is_out_of_memory,
    out_of_memory,
)
from orchestration.limits import Limits, duckdb_settings, for_build
from orchestration.report_pool import REPORTS_STEP, report_pool
from orchestration.text import number, seconds, stamp

__all__ = ["BuildError", "BuildOutcome", "CheckOutcome", "run_build", "summary_lines"]


@dataclass(frozen=True)
class CheckOutcome:
    asset: str  # "marts/fct_sickness"
    name: str  # the suite's or dbt test's name
    passed: bool
    blocking: bool
    kind: str  # gx | dbt
    description: str = ""  # the GX suite's Danish description

    @property
    def label(self) -> str:
        return f"{self.asset}/{self.name}"

    @property
    def reader_label(self) -> str:
        """What a user reads: the suite's Danish description and its table, or for a dbt data
        test the table and the test's name (its identifier in the dbt docs)."""
        table = self.asset.replace("/", ".")
        if self.description:  # "… (advarsel)." — the line already says whether it blocks
            text = re.sub(r"\s*\((advarsel|blokerende)\)\.?$", "", self.description)
            return f"{text.removesuffix('.')} (tabel {table})"
        return f"dbt-datatest {self.name} (tabel {table})"


@dataclass(frozen=True)
class WarehouseFacts:
    """What the summary tells about the warehouse, read when the build ends."""

    register_rows: dict[str, int]  # raw table → rows
    rejected_rows: int  # rows not loaded (quarantine, severity error)
    warnings: int  # quarantine warnings (the row was loaded)
    failed_files: int
    unmatched: int | None  # HR ↔ placements reconciliation rows (None: mart not built)
    notes: list[tuple[str, str]] = field(default_factory=list)  # ingest's (kind, note)


@dataclass
class BuildOutcome:
    database: Path
    as_of: date
    success: bool
    seconds: float
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reports: dict[str, list[str]] = field(default_factory=dict)  # report name → files written
    run_id: str = ""
    facts: WarehouseFacts | None = None  # what the build wrote (None: it wrote nothing readable)
    published: bool = False  # the build file was swapped in (orchestration/publish.py)
    existed: bool = False  # a published warehouse was there before the build
    copy_seconds: float = 0.0  # publish cost: copying the published file into the build file
    swap_seconds: float = 0.0  # publish cost: checkpoint, flush, rename
    reports_run_id: str = ""  # the run that wrote the reports from the published warehouse

    def publish_line(self) -> str:
        """One Danish line on what the published warehouse now is."""
        if self.published:
            return (
                f"Datavarehuset {self.database} er udgivet (kopi {seconds(self.copy_seconds)},"
                f" skift {seconds(self.swap_seconds)})."
            )
        if self.existed:
            return f"Datavarehuset {self.database} er uændret: bygget er ikke udgivet."
        return f"Intet datavarehus er skrevet: {self.database} findes ikke (bygget fejlede)."

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed]

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        return [c for c in self.failed_checks if c.blocking]

    def failure_message(self) -> str:
        """One clear line saying why the build failed."""
        if self.blocking_failures:
            labels = [c.reader_label for c in self.blocking_failures]
            names = "; ".join(labels[:3]) + (
                f" og {len(labels) - 3} flere" if len(labels) > 3 else ""
            )
            return f"Bygget stoppede, fordi en blokerende kontrol fejlede: {names}."
        if self.errors:
            return "Bygget fejlede i " + self.errors[0].splitlines()[0]
        return "Bygget fejlede: " + (", ".join(self.failed_steps) or "ukendt årsag")


def _root_error(error):
    """The innermost error: Dagster wraps the op's own exception."""
    while error is not None and error.cause is not None:
        error = error.cause
    return error


def _step_message(step_key: str, error) -> str:
    message = "" if error is None else error.message.strip()
    if error is not None:  # "ingest.errors.IngestError: …" → "…"
        message = re.sub(rf"^[\w.]*\b{re.escape(error.cls_name)}: ", "", message)
    if step_key == REPORTS_STEP and message:  # "Rapporten kvote: …" names the report
        return message
    where = {"ingest_landing": "indlæsningen", "dbt_models": "dbt"}.get(step_key)
    return f"{where or step_key}: {message}" if message else (where or step_key)


def _check_outcomes(result, descriptions: dict[str, str], database: Path) -> list[CheckOutcome]:
    """The GX suites (Dagster asset checks) and the dbt data tests (dbt's run_results.json of
    this run: orchestration/assets/dbt.py) of one build."""
    outcomes = [
        CheckOutcome(
            asset=evaluation.asset_key.to_user_string(),
            name=evaluation.check_name,
            passed=evaluation.passed,
            blocking=evaluation.severity.value == "ERROR",
            kind="gx",
            description=descriptions.get(evaluation.check_name, ""),
        )
        for evaluation in result.get_asset_check_evaluations()
    ]
    outcomes += [
        CheckOutcome(
            asset="/".join(test.relation),
            name=test.name,
            passed=test.passed,
            blocking=test.blocking,
            kind="dbt",
        )
        for test in _dbt_tests(result, database)
    ]
    return sorted(outcomes, key=lambda c: (c.passed, c.label))


def _dbt_tests(result, database: Path) -> list:
    """The data tests of this run's `dbt build` (the dbt step removes an older run_results)."""
    import json

    from dagster import DagsterEventType

    from orchestration.assets.dbt import data_test_outcomes
    from orchestration.warehouse import dbt_target_path

    ran = any(
        e.event_type == DagsterEventType.STEP_START and e.step_key == "dbt_models"
        for e in result.all_events
    )
    path = dbt_target_path(database) / "run_results.json"
    if not ran or not path.exists():
        return []
    run_results = json.loads(path.read_text(encoding="utf-8"))
    return data_test_outcomes(run_results, dbt_models_manifest(), database)


def _reports_written(result) -> dict[str, list[str]]:
    written = {}
    for event in result.get_asset_materialization_events():
        key = event.asset_key.path
        if key[0] == "reports":
            files = event.materialization.metadata["files"].value
            written[key[1]] = [Path(f).name for f in files]
    return written


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
    reports_dir: Path | None = None,
    echo: Callable[[str], None] | None = print,
    limits: Limits | None = None,
) -> BuildOutcome:
    """Build `database` atomically: materialise the asset graph with its checks into the build
    file (`<name>.duckdb.new`, a copy of the published file) as one run, publish it (rename) when
    ingest, dbt and every blocking check passed, record the run in the warehouse's Dagster
    history, and then — when `reports_dir` is given — write the reports from the published file
    in a second run. A build that fails leaves the published file as it was. `limits`: memory
    and threads of every DuckDB connection (default: orchestration/limits.py).

    Raises BuildError for what the user must fix (a missing folder, a landing folder ingest
    refuses, a locked warehouse …) and WarehouseIOError for a full disk: nothing is published then.
    """
    started = time.monotonic()
    input_dir = Path(input_dir).expanduser().resolve()
    if not input_dir.is_dir():
        raise BuildError(f"Inputmappen {input_dir} findes ikke.")
    if config_path is not None and not Path(config_path).is_file():
        raise BuildError(f"Konfigurationsfilen {config_path} findes ikke.")
    rules_file = Path(config_path) if config_path else input_dir / "config" / "rules.yml"
    _check_rules(rules_file)
    limits = limits or for_build(rules_file)
    from orchestration.gx_worker import gx_worker

    # GX imports in its own process on the other core while Dagster and dbt set up.
    checks = contextlib.ExitStack()
    checks.enter_context(gx_worker())
    reporting = contextlib.ExitStack()  # the report processes, from the checks' end

    from orchestration.instance import scratch_instance
    from orchestration.project import dbt_vars, prepare_manifest
    from orchestration.warehouse import dbt_target_path, open_for_build
    from orchestration.warm_dbt import warm_dbt

    def say(line: str) -> None:
        if echo:
            echo(f"{stamp(time.monotonic() - started)} {line}")

    with reporting:  # the report processes end with the reports (or a failure)
        with checks, open_for_build(database, duckdb_settings(limits, database)) as warehouse:
            database = warehouse.database
            if warehouse.interrupted:
                say(f"Et afbrudt byg efterlod {warehouse.build_file.name}: fjernet.")
            if warehouse.existed:
                say(
                    f"Bygger i {warehouse.build_file.name}, en kopi af {database.name}"
                    f" ({seconds(warehouse.copy_seconds)}); {database.name} er uændret, til bygget"
                    " er godkendt."
                )
            if echo and not _manifest_current():
                say("Forbereder dbt-projektet (dbt parse) …")
            settings = duckdb_settings(limits, warehouse.build_file)
            prepare_manifest(
                as_of=as_of,
                database=warehouse.build_file,
                target_path=dbt_target_path(database),
                duckdb=settings,
            )
            say("Starter Dagster-kørslen …")
            # dbt imports and parses on the other core while ingest and the raw checks run.
            dbt_vars_json = dbt_vars(as_of, warehouse.build_file, settings)
            with (
                warm_dbt(dbt_vars_json, dbt_target_path(database)),
                scratch_instance() as scratch,
            ):
                outcome = _execute(
                    input_dir,
                    warehouse.build_file,
                    as_of=as_of,
                    config_path=config_path,
                    reports_dir=None,
                    echo=echo,
                    started=started,
                    instance=scratch,
                    limits=limits,
                )
                checks.close()  # the run's checks are done: the GX process ends
                if outcome.success and reports_dir:  # they import while the build publishes
                    reporting.enter_context(report_pool())
                outcome.database, outcome.existed = database, warehouse.existed
                with contextlib.suppress(duckdb.Error):  # a half-written file has no facts
                    outcome.facts = read_facts(warehouse.build_file, settings)
                try:
                    if outcome.success:
                        warehouse.publish()
                except WarehouseIOError:  # e.g. the disk filled at the publish's checkpoint
                    if echo:
                        echo(outcome.publish_line())  # the summary's word: nothing was published
                    raise
                finally:
                    _record(scratch, outcome.run_id, database, warehouse.published, say)
            outcome.published = warehouse.published
            outcome.copy_seconds, outcome.swap_seconds = (
                warehouse.copy_seconds,
                warehouse.swap_seconds,
            )
        stop = _resource_error(outcome, limits) or _user_error(outcome)
        if stop:
            if echo:
                echo(outcome.publish_line())
            raise stop
        if outcome.published and reports_dir:
            _write_reports(
                outcome, input_dir, as_of, config_path, reports_dir, echo, started, limits
            )
    outcome.seconds = time.monotonic() - started
    return outcome


def _record(scratch, run_id: str, database: Path, published: bool, say) -> None:
    """The build's run into the warehouse's Dagster history (orchestration/history.py). The
    warehouse is already published or left alone: a history that cannot be written is said,
    not fatal."""
    from orchestration.history import record_run
    from orchestration.warehouse import dagster_instance

    if not run_id:
        return
    try:
        with dagster_instance(database) as instance:
            record_run(scratch, run_id, instance, published=published)
    except Exception as exc:  # noqa: BLE001 — the history is secondary to the warehouse
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        say(f"Kørslen kunne ikke gemmes i Dagster-historikken ({first}).")


def _write_reports(
    outcome: BuildOutcome,
    input_dir: Path,
    as_of: date,
    config_path: Path | None,
    reports_dir: Path,
    echo: Callable[[str], None] | None,
    started: float,
    limits: Limits,
) -> None:
    """The report assets, as a run of their own on the published warehouse (never on a build
    file), recorded live in the warehouse's history."""
    from orchestration.definitions import REPORT_KEYS
    from orchestration.warehouse import dagster_instance

    with dagster_instance(outcome.database) as instance:
        reports = _execute(
            input_dir,
            outcome.database,
            as_of=as_of,
            config_path=config_path,
            reports_dir=reports_dir,
            echo=echo,
            started=started,
            instance=instance,
            only=REPORT_KEYS,
            limits=limits,
        )
    outcome.reports = reports.reports
    outcome.reports_run_id = reports.run_id
    outcome.failed_steps += reports.failed_steps
    outcome.errors += reports.errors
    outcome.success = outcome.success and reports.success


def _manifest_current() -> bool:
    from orchestration.project import manifest_is_current

    return manifest_is_current()


def _resource_error(
    outcome: BuildOutcome, limits: Limits
) -> WarehouseIOError | BuildResourceError | None:
    """A step that failed because the disk is full (DuckDB's or the OS's words, also DuckDB
    refusing to spill more) or because DuckDB ran out of memory: one Danish line, exit 1 —
    whichever step it hit. A full disk first: DuckDB words its spill limit as out of memory."""
    if any(is_disk_full(error) for error in outcome.errors):
        return disk_full(outcome.database.parent)
    if any(is_out_of_memory(error) for error in outcome.errors):
        return out_of_memory(limits.describe())
    return None


def _user_error(outcome: BuildOutcome) -> BuildError | None:
    """A build the landing folder stopped (ingest refused it): the user's to fix."""
    if outcome.failed_steps == ["ingest_landing"] and outcome.errors:
        reason = outcome.errors[0].removeprefix("indlæsningen: ")
        return BuildError(f"Landing-mappen kunne ikke indlæses: {reason}")
    return None


def _execute(
    input_dir: Path,
    database: Path,
    *,
    as_of: date,
    config_path: Path | None,
    reports_dir: Path | None,
    echo: Callable[[str], None] | None,
    started: float,
    instance,
    limits: Limits,
    only: set | None = None,
) -> BuildOutcome:
    """One run of `build_all` on `database`: every asset but the reports (or the assets `only`
    names), with their checks."""
    from dagster import AssetSelection

    from expectations.suites import all_suites
    from orchestration.definitions import REPORT_KEYS, build_definitions
    from orchestration.progress import Totals, progress_logger, silent_logger
    from orchestration.resources import build_resources

    suites = {s.name: s.description for s in all_suites()}
    resources = build_resources(
        database,
        input_dir,
        as_of=as_of,
        rules_file=config_path,
        reports_dir=reports_dir,
        limits=limits,
    )
    from orchestration.assets.dbt import dbt_models, warehouse_test_count

    totals = Totals(
        dbt_nodes=len(dbt_models.keys),
        dbt_tests=warehouse_test_count(dbt_models_manifest()),
    )
    logger = progress_logger(echo, totals, started) if echo else silent_logger
    defs = build_definitions(resources, loggers={"progress": logger})
    job = defs.resolve_job_def("build_all")
    selection = (
        AssetSelection.assets(*only)
        if only
        else AssetSelection.all() - AssetSelection.assets(*REPORT_KEYS)
    )
    keys = selection.resolve(defs.resolve_asset_graph())
    # dagster-dbt echoes every dbt log line on stdout: the progress lines say what matters.
    with contextlib.redirect_stdout(io.StringIO()):
        result = job.execute_in_process(
            instance=instance,
            asset_selection=list(keys),
            raise_on_error=False,
            run_config={"loggers": {"progress": {}}},  # ours only, not Dagster's console logger
            tags={
                "rummelig/trigger": "cli",
                "rummelig/as_of": as_of.isoformat(),
                "rummelig/part": "rapporter" if only else "byg",
            },
        )
    failures = result.get_step_failure_events()
    outcome = BuildOutcome(
        database=database,
        as_of=as_of,
        success=result.success,
        seconds=time.monotonic() - started,
        checks=_check_outcomes(result, suites, database),
        failed_steps=[e.step_key for e in failures],
        errors=[
            _step_message(e.step_key, _root_error(e.step_failure_data.error))
            for e in failures
            if e.step_failure_data
        ],
        reports=_reports_written(result),
        run_id=result.run_id,
    )
    if outcome.blocking_failures:
        outcome.success = False
    return outcome


def _table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?"
    return conn.execute(sql, [schema, table]).fetchone()[0] > 0


def dbt_models_manifest() -> dict:
    import json

    from orchestration.project import dbt_project

    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def read_facts(database: Path, config: dict[str, str] | None = None) -> WarehouseFacts:
    with duckdb.connect(str(database), read_only=True, config=config or {}) as conn:
        rows = {
            table: conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
            for table in [*REGISTER_TABLES, "jobindsats"]
            if _table_exists(conn, "raw", table)
        }
        rejected = warnings = failed = 0
        if _table_exists(conn, "audit", "quarantine"):
            rejected, warnings = conn.execute(
                "SELECT count(DISTINCT (file_name, row_number)) FILTER (severity = 'error'),"
                " count(*) FILTER (severity = 'warning') FROM audit.quarantine"
            ).fetchone()
        if _table_exists(conn, "audit", "load_log"):
            failed = conn.execute(
                "SELECT count(DISTINCT file_name) FROM audit.load_log WHERE status = 'failed'"
            ).fetchone()[0]
        unmatched = None
        if _table_exists(conn, "marts", "fct_inclusion_reconciliation"):
            unmatched = conn.execute(
                "SELECT count(*) FROM marts.fct_inclusion_reconciliation"
            ).fetchone()[0]
        notes = load_notes(conn)
    return WarehouseFacts(rows, rejected, warnings, failed, unmatched, notes)


def summary_lines(outcome: BuildOutcome, *, demo: bool = False) -> list[str]:
    """The short build summary a user reads (Danish; `demo` names the planted defects)."""
    lines = [f"Resumé (as_of {outcome.as_of.isoformat()}, bygget på {seconds(outcome.seconds)}):"]
    facts = outcome.facts
    if facts is not None:
        counts = ", ".join(f"{table} {number(n)}" for table, n in facts.register_rows.items())
        lines.append(f"  Rækker pr. register: {counts}")
        lines.append(
            f"  Karantæne: {number(facts.rejected_rows)} rækker afvist (fejl),"
            f" {number(facts.warnings)} advarsler om rækker, der blev indlæst"
            " (se audit.quarantine)"
        )
        if facts.failed_files:
            lines.append(
                f"  Filer der ikke kunne læses: {number(facts.failed_files)} (se audit.load_log)"
            )
        if facts.unmatched is not None:
            lines.append(
                f"  Afstemning HR ↔ placeringer: {number(facts.unmatched)} uafstemte poster"
            )
    gx = [c for c in outcome.checks if c.kind == "gx"]
    dbt = [c for c in outcome.checks if c.kind == "dbt"]
    lines.append(
        f"  Kontroller: {number(sum(c.passed for c in gx))} af {number(len(gx))} GX-kontroller"
        f" godkendt, {number(sum(c.passed for c in dbt))} af {number(len(dbt))}"
        " dbt-datatests bestået"
    )
    for check in outcome.failed_checks:
        level = "BLOKERENDE fejl" if check.blocking else "Advarsel"
        lines.append(f"  {level}: {check.reader_label}")
    if demo and facts and (facts.rejected_rows or facts.warnings or facts.unmatched):
        lines.append(
            "  Demo-dataene har bevidst indlagte fejl, så karantænen og afstemningen kan ses i"
            " brug: de afviste rækker, advarslerne og de uafstemte poster ovenfor er dem"
            " (listet i landing-mappens README)."
        )
    for error in outcome.errors:
        lines.append(f"  Fejl i {error}")
    lines.append(f"  {outcome.publish_line()}")
    return lines
