"""Every dbt node as a Dagster asset; one `dbt build` per run, on the warehouse's own file.

The dbt data tests run inside that `dbt build` — a failing one stops the models downstream of it,
as dbt does, and fails the step — but they are not Dagster asset checks one by one: ~680 checks
were ~1 400 events in the run's history, which cost more time than the tests themselves. The step
logs its progress and every test that did not pass; the build's summary reads the tests'
outcomes from dbt's run_results.json (`data_test_outcomes`). Which data tests a warehouse build
runs, and why: `WAREHOUSE_BUILD_SKIPS`.
"""

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import yaml
from dagster import AssetExecutionContext, Failure
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.limits import GB, dbt_threads, parse_size
from orchestration.progress import ONE_MODEL_AT_A_TIME
from orchestration.project import dbt_project, dbt_vars
from orchestration.resources import LandingResource
from orchestration.text import number
from orchestration.translator import RummeligTranslator
from orchestration.warehouse import dbt_target_path


def _column_rule_kinds() -> tuple[str, ...]:
    """The column tests a build runs as one `column_rules` test per table: the var
    `column_rule_kinds` of dbt_project.yml, which macros/test_column_rules.sql reads too."""
    project = yaml.safe_load((Path(dbt_project.project_dir) / "dbt_project.yml").read_text())
    return tuple(project["vars"]["column_rule_kinds"])


COLUMN_RULE_KINDS = _column_rule_kinds()
# Data tests a warehouse build leaves to `make test`, which runs every test on the fixtures of
# tests/dbt and on the demo warehouse (tests/e2e/test_all_data_tests.py): the tests of staging
# and intermediate models (tagged in dbt_project.yml, which says why) and the singular tests of
# what depends on the code alone (the calendar). A tag, not a path: excluding a path would also
# drop, through dbt's indirect selection, the marts' tests that refer to a staging model. And
# the column tests of COLUMN_RULE_KINDS one by one: each table's `column_rules` test runs them.
WAREHOUSE_BUILD_SKIPS = ("tag:ci_only", *(f"test_name:{kind}" for kind in COLUMN_RULE_KINDS))
PROGRESS_EVERY = 5.0  # seconds between the step's "datatests: …" progress records


def runs_in_warehouse_build(test: dict) -> bool:
    """Whether a build runs this data test (a manifest node): WAREHOUSE_BUILD_SKIPS in Python."""
    return "ci_only" not in test.get("tags", []) and _kind(test) not in COLUMN_RULE_KINDS


def warehouse_test_count(manifest: dict) -> int:
    return sum(
        1
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and runs_in_warehouse_build(node)
    )


def raw_rows(warehouse: DuckDBResource) -> int:
    """The rows of the warehouse's raw tables (DuckDB's own count, no scan), without ingest's
    own bookkeeping (`raw._*`: the rows of each file, quarantine)."""
    with warehouse.get_connection() as conn:
        found = conn.execute(
            "SELECT coalesce(sum(estimated_size), 0) FROM duckdb_tables() "
            "WHERE schema_name = 'raw' AND NOT starts_with(table_name, '_')"
        ).fetchone()
    return int(found[0])


def dbt_build_args(
    as_of: date, database: Path, duckdb: dict[str, str] | None = None, threads: int = 2
) -> list[str]:
    """`dbt build` arguments for one run (pure; dagster-dbt adds the selection).

    dbt unit tests check SQL logic on fixed inputs, not the data: they run in `make test`, not in
    every warehouse build. `duckdb`: the connection settings (orchestration/limits.py).
    """
    return [
        "build",
        "--vars",
        dbt_vars(as_of, database, duckdb),
        "--threads",
        str(threads),
        "--exclude-resource-type",
        "unit_test",
        "--exclude",
        " ".join(WAREHOUSE_BUILD_SKIPS),  # one value: dagster-dbt reads one
    ]


def failed_nodes(run_results: dict) -> list[str]:
    """Readable lines for the nodes dbt reports as error/fail (from run_results.json)."""
    return [
        f"{r['unique_id']}: {r['status']} — {(r.get('message') or '').strip()}"
        for r in run_results.get("results", [])
        if r.get("status") in ("error", "fail", "runtime error")
    ]


@dataclass(frozen=True)
class DataTestOutcome:
    """One dbt data test of a build: the relation it tests ("marts", "fct_x") and its status
    (pass | fail | warn | error; skipped tests did not run and are left out)."""

    relation: tuple[str, str]
    name: str
    status: str

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def blocking(self) -> bool:
        return self.status in ("fail", "error")


def _tested_relation(manifest: dict, test: dict) -> tuple[str, str]:
    parent = test.get("attached_node") or next(iter(test["depends_on"]["nodes"]), None)
    node = manifest["nodes"].get(parent) or manifest.get("sources", {}).get(parent) or test
    return node["schema"], node["name"]


def data_test_outcomes(
    run_results: dict, manifest: dict, database: Path | None = None
) -> list[DataTestOutcome]:
    """The data tests dbt ran (run_results.json), each with the relation it tests. A failed
    `column_rules` test is named by the column tests it stands for that failed (its rows, read
    from `database`), so a reader sees which rule broke."""
    outcomes = []
    for result in run_results.get("results", []):
        test = manifest["nodes"].get(result["unique_id"])
        if test is None or test["resource_type"] != "test" or result["status"] == "skipped":
            continue
        relation = _tested_relation(manifest, test)
        name = test["name"]
        if result["status"] == "fail" and database is not None and _kind(test) == "column_rules":
            name = ", ".join(_failed_rules(database, result.get("compiled_code"))) or name
        outcomes.append(DataTestOutcome(relation, name, result["status"]))
    return outcomes


def _kind(test: dict) -> str | None:
    return (test.get("test_metadata") or {}).get("name")


def _failed_rules(database: Path, compiled_sql: str | None) -> list[str]:
    """The column tests a failed column_rules test names in its rows; [] when unreadable."""
    if not compiled_sql:
        return []
    try:
        with duckdb.connect(str(database), read_only=True) as conn:
            return sorted(name for name, _failures in conn.execute(compiled_sql).fetchall())
    except duckdb.Error:
        return []


def _is_test_result(event) -> bool:
    info = event.raw_event["info"]
    return info["name"] == "LogTestResult"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=RummeligTranslator(),
)
def dbt_models(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: DuckDBResource,
    landing: LandingResource,
):
    database = Path(warehouse.database)
    target = dbt_target_path(database)
    (target / "run_results.json").unlink(missing_ok=True)  # the summary reads this run's only
    settings = dict(warehouse.connection_config)  # the build's DuckDB settings (limits.py)
    rows = raw_rows(warehouse)
    threads = dbt_threads(settings, rows)
    if threads == 1 < int(settings.get("threads", 1)):
        context.log.info(
            f"{ONE_MODEL_AT_A_TIME}: {number(rows)} rækker i registrene er mange for DuckDB's "
            f"{number(round(parse_size(settings['memory_limit']) / GB, 1))} GB hukommelse"
        )
    invocation = dbt.cli(
        dbt_build_args(landing.as_of_date, database, settings, threads),
        context=context,
        target_path=target,
        raise_on_error=False,
    )
    total = warehouse_test_count(invocation.manifest)
    done = passed = 0
    reported = time.monotonic()
    try:
        for event in invocation.stream_raw_events():
            if _is_test_result(event):  # counted, not one Dagster event each
                done += 1
                passed += event.raw_event["data"].get("status") == "pass"
                if time.monotonic() - reported >= PROGRESS_EVERY:
                    context.log.info(f"datatests: {done} af {total}, {passed} bestået")
                    reported = time.monotonic()
                continue
            yield from event.to_default_asset_events(
                manifest=invocation.manifest,
                dagster_dbt_translator=invocation.dagster_dbt_translator,
                context=context,
                target_path=target,
                project=dbt_project,
            )
    finally:  # never leave a dbt process behind holding the DuckDB file lock
        if invocation.process.poll() is None:
            invocation.process.terminate()
            invocation.process.wait(timeout=60)
    context.log.info(f"datatests: {done} af {total}, {passed} bestået")
    try:
        run_results = invocation.get_artifact("run_results.json")
    except (OSError, ValueError):  # no run_results: dbt failed before running
        run_results = {}
    for outcome in data_test_outcomes(run_results, invocation.manifest, database):
        if not outcome.passed:
            level = "fejlede" if outcome.blocking else "advarsel"
            where = ".".join(outcome.relation)
            context.log.warning(f"dbt-datatest {outcome.name} ({where}): {level}")
    if not invocation.is_successful():
        lines = failed_nodes(run_results)
        raise Failure(
            description="dbt build fejlede: " + ("; ".join(lines) or "se dbt-loggen"),
            metadata={"failed_nodes": "\n".join(lines)},
        )
