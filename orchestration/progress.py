"""A Dagster logger that prints one line per step, asset and check, with elapsed seconds.

Used by the CLI build; `dagster dev` keeps Dagster's own console logger.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from dagster import Field, logger

# Steps whose own log lines (per landing file) are worth printing; dbt logs a line per node.
CHATTY_STEPS = {"ingest_landing"}

# dagster-dbt warns for every dbt source test (they are observations, not checks): not news.
NOISE = ("Logging an `AssetObservation` instead of an `AssetCheckResult`",)

_MESSAGES = {
    "STEP_START": "start",
    "STEP_SUCCESS": "færdig",
    "STEP_FAILURE": "FEJLEDE",
    "STEP_SKIPPED": "sprunget over",
}


def _event_line(event, verbose_checks: frozenset[str]) -> str | None:
    kind = event.event_type_value
    if kind in _MESSAGES:
        return f"{event.step_key}: {_MESSAGES[kind]}"
    if kind == "ASSET_MATERIALIZATION":
        key = event.asset_key.to_user_string() if event.asset_key else "?"
        rows = event.event_specific_data.materialization.metadata.get("rows")
        return f"  {key}" + (f" ({rows.value} rækker)" if rows is not None else "")
    if kind == "ASSET_CHECK_EVALUATION":
        evaluation = event.event_specific_data
        if evaluation.passed and evaluation.check_name not in verbose_checks:
            return None  # ~400 passing dbt tests would drown the GX results
        state = "ok" if evaluation.passed else "FEJL"
        if not evaluation.passed and evaluation.severity.value == "WARN":
            state = "advarsel"
        return f"  kontrol {evaluation.asset_key.to_user_string()}/{evaluation.check_name}: {state}"
    return None


class ProgressHandler(logging.Handler):
    def __init__(
        self,
        write: Callable[[str], None],
        verbose_checks: frozenset[str] = frozenset(),
        started: float | None = None,
    ):
        super().__init__(logging.DEBUG)  # Dagster logs its events at DEBUG
        self.write = write
        self.verbose_checks = verbose_checks
        self.started = started or time.time()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._emit(record)
        except Exception:  # a progress line must never break the build
            self.handleError(record)

    def _emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is not None:
            line = _event_line(event, self.verbose_checks)
        elif record.levelno >= logging.WARNING or (
            record.levelno >= logging.INFO and meta.get("step_key") in CHATTY_STEPS
        ):
            line = f"  {meta.get('orig_message') or record.getMessage()}"
        else:
            line = None
        if line and any(noise in line for noise in NOISE):
            line = None
        if line:
            self.write(f"[{time.time() - self.started:6.1f} s] {line}")


@logger(
    config_schema={
        "verbose_checks": Field([str], is_required=False, default_value=[]),
        "started": Field(float, is_required=False, default_value=0.0),  # epoch s of the build
    },
    description="Én linje pr. trin, asset og kontrol (beståede kun for verbose_checks).",
)
def progress_logger(init_context) -> logging.Logger:
    out = sys.stdout  # taken now: the dbt step may redirect stdout while it runs

    def write(line: str) -> None:
        print(line, file=out, flush=True)

    log = logging.Logger("rummelig.progress", level=logging.DEBUG)
    verbose = frozenset(init_context.logger_config["verbose_checks"])
    started = init_context.logger_config["started"] or None
    log.addHandler(ProgressHandler(write, verbose, started))
    return log


@logger(description="Ingen output (tests og indlejrede byg).")
def silent_logger(_init_context) -> logging.Logger:
    return logging.Logger("rummelig.silent", level=logging.CRITICAL + 1)
