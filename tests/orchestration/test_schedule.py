"""The daily build ticks at 06:00 Copenhagen time, summer and winter alike."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dagster import build_schedule_context
from dagster._utils.schedules import cron_string_iterator

from orchestration.definitions import defs

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _ticks(start: datetime, n: int) -> list[datetime]:
    """The next n ticks as Dagster's scheduler computes them (its own cron iterator)."""
    schedule = defs.resolve_schedule_def("daily_build")
    timestamps = cron_string_iterator(
        start.timestamp(), schedule.cron_schedule, schedule.execution_timezone
    )
    return [t.astimezone(UTC) for t in itertools.islice(timestamps, n)]


def test_the_daily_build_ticks_at_six_copenhagen_time_across_both_clock_changes():
    # 2025-03-30: clocks go forward (CET +1 → CEST +2); 2025-10-26: back again
    assert _ticks(datetime(2025, 3, 28, 12, tzinfo=COPENHAGEN), 3) == [
        datetime(2025, 3, 29, 5, tzinfo=UTC),  # 06:00 CET
        datetime(2025, 3, 30, 4, tzinfo=UTC),  # 06:00 CEST, the first summer morning
        datetime(2025, 3, 31, 4, tzinfo=UTC),
    ]
    assert _ticks(datetime(2025, 10, 25, 12, tzinfo=COPENHAGEN), 2) == [
        datetime(2025, 10, 26, 5, tzinfo=UTC),  # 06:00 CET, the first winter morning
        datetime(2025, 10, 27, 5, tzinfo=UTC),
    ]


def test_a_tick_requests_a_run_of_the_whole_build():
    schedule = defs.resolve_schedule_def("daily_build")
    tick = datetime(2025, 3, 30, 6, tzinfo=COPENHAGEN)
    [request] = schedule.evaluate_tick(
        build_schedule_context(scheduled_execution_time=tick)
    ).run_requests
    assert schedule.job_name == "build_all"
    assert request.asset_selection is None  # every asset of build_all: ingest, dbt, checks
    assert request.tags == {"dagster/schedule_name": "daily_build"}
