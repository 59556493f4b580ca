"""A build's run in the warehouse's Dagster history (`<name>.dagster/`), recorded when the build
has ended and its fate is known (docs/decisions/publish.md).

A build runs on a scratch Dagster instance in memory; `record_run` then copies the run into the
warehouse's persistent instance — the run, its job and plan snapshots and its events, with their
own timestamps — so `rummelig dev` shows it like any other run:
- published: every event, so each asset's latest materialisation and each check's latest result
  describe the published warehouse;
- not published (failed, refused): the run, its steps, logs and failures, but none of the events
  that would claim a state of the warehouse (materialisations, observations, check
  evaluations). The UI shows the failed run and why, and the assets' latest materialisations stay
  those of the published build.
A build killed before it ends leaves nothing in the history (and no run stuck in "started").
"""

from __future__ import annotations

from dagster import DagsterEventType, DagsterInstance

CLAIMS = frozenset(
    {
        DagsterEventType.ASSET_MATERIALIZATION,
        DagsterEventType.ASSET_OBSERVATION,
        DagsterEventType.ASSET_CHECK_EVALUATION,
    }
)
PUBLISHED_TAG = "rummelig/published"


def claims_state(entry) -> bool:
    """True for an event that says what the warehouse now holds."""
    event = entry.dagster_event
    return event is not None and event.event_type in CLAIMS


def record_run(
    source: DagsterInstance, run_id: str, target: DagsterInstance, *, published: bool
) -> int:
    """Copy run `run_id` from `source` into `target`; returns the number of events copied."""
    record = source.get_run_record_by_id(run_id)
    if record is None:
        return 0
    run = record.dagster_run
    for snapshot_id, get in (
        (run.job_snapshot_id, source.get_job_snapshot),
        (run.execution_plan_snapshot_id, source.get_execution_plan_snapshot),
    ):
        if snapshot_id and not target.has_snapshot(snapshot_id):
            target.add_snapshot(get(snapshot_id))
    run = run.with_tags({**run.tags, PUBLISHED_TAG: "ja" if published else "nej"})
    target.run_storage.add_historical_run(run, record.create_timestamp)
    copied = 0
    for entry in source.all_logs(run_id):
        if published or not claims_state(entry):
            target.handle_new_event(entry)
            copied += 1
    return copied
