"""The build's console progress: one line per step, in Danish, with seconds since the start.

Steps: the ingest (its own per-file lines only as periodic progress, and its errors), the GX
checks of a phase (one line: how many passed), dbt (a start line, progress lines with the models
and tests done, a closing line), the reports (one line each). While a step is silent for
`PROGRESS_EVERY` seconds a heartbeat line says how far it is (a national-size dbt model runs for
minutes). Failures are not printed here: the build's summary and its last line (`Fejl: …`) say
them once.

Used by the CLI build; `dagster dev` keeps Dagster's own console logger.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from dagster import DagsterEventType, LoggerDefinition, logger

from orchestration.checks import SCHEMA_LABELS, check_step
from orchestration.report_pool import REPORTS_STEP
from orchestration.text import number, seconds, stamp

PROGRESS_EVERY = 15.0  # seconds between progress lines of a long step
# The dbt step's count of its data tests (orchestration/assets/dbt.py logs it; not printed).
DBT_TESTS = re.compile(r"^datatests: (?P<done>\d+) af \d+, (?P<passed>\d+) bestået$")
# How the dbt step's record begins when it builds one model at a time (orchestration/limits.py
# dbt_threads); the progress shows that record as a line.
ONE_MODEL_AT_A_TIME = "dbt bygger én model ad gangen"


@dataclass(frozen=True)
class Totals:
    """What the run will do, for "20 af 43" lines: dbt models+seeds and dbt data tests."""

    dbt_nodes: int
    dbt_tests: int


@dataclass
class _Checks:
    passed: int = 0
    warnings: int = 0
    blocking: int = 0
    raw: bool = False

    @property
    def total(self) -> int:
        return self.passed + self.warnings + self.blocking


@dataclass
class _State:
    step: str | None = None
    step_started: float = 0.0
    nodes: int = 0
    tests: int = 0
    tests_passed: int = 0
    raw_rows: int = 0
    raw_tables: int = 0
    checks: _Checks = field(default_factory=_Checks)
    last_line: float = 0.0
    latest: str = ""  # the step's latest own message, not printed yet


def _step_label(step_key: str) -> str:
    """How a progress line names a step: the dbt step, ingest, a report or the checks of a
    schema (orchestration/checks.py)."""
    if step_key == "dbt_models":
        return "dbt"
    if step_key == "ingest_landing":
        return "indlæsningen"
    if step_key == REPORTS_STEP:
        return "rapporterne"
    for schema, label in SCHEMA_LABELS.items():
        if step_key == check_step(schema):
            return f"kontrollen af {label}"
    return f"trinnet {step_key}"


class ProgressHandler(logging.Handler):
    def __init__(self, write: Callable[[str], None], totals: Totals, started: float):
        super().__init__(logging.DEBUG)  # Dagster logs its events at DEBUG
        self._write = write
        self.totals = totals
        self.started = started
        self.state = _State(last_line=time.monotonic())
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None  # started with the first step

    def start_heartbeat(self) -> None:
        if self._heartbeat is None:
            self._heartbeat = threading.Thread(target=self._beat, daemon=True)
            self._heartbeat.start()

    # -- output -------------------------------------------------------------------------------
    def line(self, text: str) -> None:
        now = time.monotonic()
        self.state.last_line = now
        self._write(f"{stamp(now - self.started)} {text}")

    def _beat(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                state = self.state
                now = time.monotonic()
                if state.step and now - state.last_line >= PROGRESS_EVERY:
                    if state.step == "dbt_models":
                        self._dbt_progress()
                    elif state.latest:
                        self.line(f"  {state.latest}")
                        state.latest = ""
                    else:
                        running = seconds(now - state.step_started)
                        self.line(f"  {_step_label(state.step)} arbejder stadig ({running}) …")

    def stop_heartbeat(self) -> None:
        """At the end of the run (not in close(): Dagster closes loggers it re-creates)."""
        self._stop.set()

    # -- events -------------------------------------------------------------------------------
    def emit(self, record: logging.LogRecord) -> None:
        try:
            with self._lock:
                self._emit(record)
        except Exception:  # a progress line must never break the build
            self.handleError(record)

    def _emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            step = meta.get("step_key") or ""
            message = meta.get("orig_message") or record.getMessage()
            tests = DBT_TESTS.match(message) if step == "dbt_models" else None
            if tests:
                self.state.tests = int(tests.group("done"))
                self.state.tests_passed = int(tests.group("passed"))
            elif step == "dbt_models" and message.startswith(ONE_MODEL_AT_A_TIME):
                self.line(f"  {message}")
            elif record.levelno == logging.INFO and step == REPORTS_STEP:
                self.line(message[:1].upper() + message[1:])
            elif record.levelno == logging.INFO and step == "ingest_landing":
                quiet = time.monotonic() - self.state.last_line < PROGRESS_EVERY
                if quiet and not message.startswith("FEJL"):
                    self.state.latest = message  # the heartbeat prints it if the step drags on
                else:
                    self.line(f"  {message}")
                    self.state.latest = ""
            return
        kind = event.event_type
        if kind == DagsterEventType.STEP_START:
            self._step_start(event.step_key)
        elif kind == DagsterEventType.STEP_SUCCESS:
            self._step_success(event.step_key)
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            self._materialised(event)
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:  # the GX suites
            self._check(event.event_specific_data)
        elif kind in (DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE):
            self._flush_checks()
            self.state.step = None
            self.stop_heartbeat()

    def _step_start(self, step_key: str) -> None:
        self.start_heartbeat()
        is_check = step_key not in ("ingest_landing", "dbt_models", REPORTS_STEP)
        if not is_check:
            self._flush_checks()
        state = self.state
        state.step, state.step_started, state.latest = step_key, time.monotonic(), ""
        if step_key == "ingest_landing":
            self.line("Indlæser landing-mappen …")
        elif step_key == "dbt_models":
            self.line(
                f"dbt bygger {number(self.totals.dbt_nodes)} modeller og kører "
                f"{number(self.totals.dbt_tests)} datatests …"
            )

    def _step_success(self, step_key: str) -> None:
        state = self.state
        took = seconds(time.monotonic() - state.step_started)
        if step_key == "ingest_landing":
            self.line(
                f"Indlæsning færdig: {number(state.raw_rows)} rækker i "
                f"{number(state.raw_tables)} tabeller ({took})"
            )
        elif step_key == "dbt_models":
            self.line(
                f"dbt færdig: {number(state.nodes)} modeller bygget, "
                f"{number(state.tests_passed)} af {number(state.tests)} datatests bestået ({took})"
            )
        state.step = None

    def _materialised(self, event) -> None:
        key = event.asset_key.path if event.asset_key else []
        state = self.state
        if key and key[0] in ("raw", "audit") and event.step_key == "ingest_landing":
            rows = event.event_specific_data.materialization.metadata.get("rows")
            state.raw_tables += 1
            state.raw_rows += rows.value if rows is not None and key[0] == "raw" else 0
        elif event.step_key == "dbt_models":
            state.nodes += 1

    def _check(self, evaluation) -> None:
        checks = self.state.checks
        checks.raw = checks.raw or evaluation.asset_key.path[0] in ("raw", "audit")
        if evaluation.passed:
            checks.passed += 1
        elif evaluation.severity.value == "WARN":
            checks.warnings += 1
        else:
            checks.blocking += 1

    def _flush_checks(self) -> None:
        checks = self.state.checks
        if not checks.total:
            return
        what = SCHEMA_LABELS["raw" if checks.raw else "marts"]
        text = f"Kontrol af {what}: {number(checks.passed)} af {number(checks.total)} godkendt"
        if checks.warnings:
            text += f", {number(checks.warnings)} med advarsel"
        if checks.blocking:
            text += f", {number(checks.blocking)} BLOKERENDE fejl"
        self.line(text)
        self.state.checks = _Checks()

    def _dbt_progress(self) -> None:
        state = self.state
        self.line(
            f"  dbt: {number(state.nodes)} af {number(self.totals.dbt_nodes)} modeller, "
            f"{number(state.tests)} af {number(self.totals.dbt_tests)} datatests …"
        )


def progress_logger(
    write: Callable[[str], None], totals: Totals, started: float
) -> LoggerDefinition:
    """A Dagster logger printing the progress lines with `write`; `started` is time.monotonic()
    at the start of the build (the lines' and the summary's clock).

    Dagster initialises a run's loggers more than once (the run's events and the steps' events
    go through different log managers), so every instance shares one handler and its state.
    """
    handler = ProgressHandler(write, totals, started)

    @logger(description="Én linje pr. trin (dansk), med sekunder siden byggets start.")
    def _progress(_init_context) -> logging.Logger:
        log = logging.Logger("rummelig.progress", level=logging.DEBUG)
        log.addHandler(handler)
        return log

    return _progress


@logger(description="Ingen output (tests og indlejrede byg).")
def silent_logger(_init_context) -> logging.Logger:
    return logging.Logger("rummelig.silent", level=logging.CRITICAL + 1)
