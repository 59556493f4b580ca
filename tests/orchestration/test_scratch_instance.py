"""The build's scratch Dagster instance (orchestration/instance.py): Dagster's in-memory storages,
with the event log on the one SQLite connection it holds instead of a new one per statement."""

from __future__ import annotations

import threading

from dagster import (
    AssetCheckResult,
    DagsterInstance,
    Definitions,
    asset,
    asset_check,
    define_asset_job,
)
from sqlalchemy import event

from orchestration.instance import HeldConnectionEventLogStorage, scratch_instance


@asset
def upstream() -> int:
    return 1


@asset
def downstream(upstream: int) -> int:
    return upstream + 1


@asset_check(asset=downstream)
def downstream_is_two(downstream: int) -> AssetCheckResult:
    return AssetCheckResult(passed=downstream == 2)


DEFS = Definitions(
    assets=[upstream, downstream],
    asset_checks=[downstream_is_two],
    jobs=[define_asset_job("both")],
)


def _run(instance: DagsterInstance) -> tuple[list, int]:
    """Run the job; (its events as (type, step, asset) triples, SQLite connections opened)."""
    opened = []
    engine = instance.event_log_storage._engine
    event.listen(engine, "connect", lambda *_: opened.append(1))
    result = DEFS.resolve_job_def("both").execute_in_process(instance=instance)
    assert result.success
    entries = instance.all_logs(result.run_id)
    events = [
        (
            e.dagster_event.event_type_value,
            e.dagster_event.step_key,
            e.dagster_event.asset_key.to_user_string() if e.dagster_event.asset_key else None,
        )
        for e in entries
        if e.dagster_event is not None
    ]
    return events, len(opened)


def test_the_scratch_run_stores_what_dagsters_ephemeral_instance_stores_on_one_connection():
    with DagsterInstance.ephemeral() as dagsters, scratch_instance() as ours:
        assert isinstance(ours.event_log_storage, HeldConnectionEventLogStorage)
        expected, dagsters_connections = _run(dagsters)
        events, connections = _run(ours)
        assert events == expected
        assert {asset for kind, _, asset in events if kind == "ASSET_MATERIALIZATION"} == {
            "upstream",
            "downstream",
        }
        assert ("ASSET_CHECK_EVALUATION", "downstream_downstream_is_two") in [e[:2] for e in events]
        check = ours.event_log_storage.get_latest_asset_check_execution_by_key(
            [next(iter(DEFS.resolve_asset_graph().asset_check_keys))]
        )
        assert len(check) == 1
        # Dagster's own opens a connection or more per event; ours only to ask once per table
        # whether it exists
        assert dagsters_connections >= len(expected)
        assert connections == len(ours.event_log_storage._tables_present) <= 3


def test_another_thread_reads_the_scratch_run_through_a_connection_of_its_own():
    with scratch_instance() as instance:
        events, _ = _run(instance)
        run_id = instance.get_runs()[0].run_id
        seen: list[int] = []
        reader = threading.Thread(target=lambda: seen.append(len(instance.all_logs(run_id))))
        reader.start()
        reader.join()
        assert seen == [len(instance.all_logs(run_id))]
        assert seen[0] >= len(events)
