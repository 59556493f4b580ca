"""The console's Danish numbers and durations, and the heartbeat of a long, silent step."""

from __future__ import annotations

import time

from orchestration import progress
from orchestration.text import number, seconds, stamp


def test_numbers_and_durations_are_written_the_danish_way():
    assert [number(4456), number(5501), number(1234567), number(12.5)] == [
        "4.456",
        "5.501",
        "1.234.567",
        "12,5",
    ]
    assert [seconds(0.34), seconds(9.94), seconds(9.96), seconds(63.4), seconds(1234)] == [
        "0,3 s",
        "9,9 s",
        "10 s",
        "63 s",
        "1.234 s",
    ]
    assert stamp(0.3) == "[   0,3 s]" and stamp(123.4) == "[   123 s]"


def test_a_silent_dbt_step_gets_a_progress_line_every_period(monkeypatch):
    monkeypatch.setattr(progress, "PROGRESS_EVERY", 1.0)
    lines: list[str] = []
    totals = progress.Totals(dbt_nodes=45, dbt_tests=1200)
    handler = progress.ProgressHandler(lines.append, totals, time.monotonic())
    handler.start_heartbeat()
    try:
        handler.state.step, handler.state.step_started = "dbt_models", time.monotonic()
        handler.state.nodes, handler.state.tests = 20, 1001
        time.sleep(3.5)
    finally:
        handler.stop_heartbeat()
    beats = [
        line
        for line in lines
        if line.endswith("dbt: 20 af 45 modeller, 1.001 af 1.200 datatests …")
    ]
    assert 2 <= len(beats) <= 4, lines
    printed = len(lines)
    time.sleep(2.5)
    assert len(lines) == printed  # the run's end stopped the heartbeat


def test_a_long_step_is_named_in_danish_by_what_it_does():
    """The heartbeat names a silent step: the checks of a schema read as the checks of the raw
    data or of the data models, not as a report; the reports' step as the reports."""
    label = progress._step_label
    assert label("dbt_models") == "dbt"
    assert label("ingest_landing") == "indlæsningen"
    assert label("reports") == "rapporterne"
    assert label("gx_checks_marts") == "kontrollen af datamodellerne"
    assert label("gx_checks_raw") == "kontrollen af rådata"
    assert label("something_else") == "trinnet something_else"


def _record(step: str, message: str):
    import logging

    record = logging.LogRecord("dagster", logging.INFO, "", 0, message, None, None)
    record.dagster_meta = {"step_key": step, "orig_message": message}
    return record


def test_the_dbt_step_says_when_it_builds_one_model_at_a_time_and_nothing_else_of_its_own():
    lines: list[str] = []
    handler = progress.ProgressHandler(lines.append, progress.Totals(1, 1), time.monotonic())
    note = f"{progress.ONE_MODEL_AT_A_TIME}: 17.333.611 rækker i registrene er mange …"
    handler.emit(_record("dbt_models", note))
    handler.emit(_record("dbt_models", "Running dbt command: `dbt build`"))
    handler.emit(_record("gx_checks_raw", note))
    assert [line.split("] ", 1)[1] for line in lines] == [f"  {note}"]
