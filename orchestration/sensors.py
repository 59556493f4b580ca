"""A sensor on the landing folder's `jobindsats/`: a new or changed extract starts a build.

Use `make_jobindsats_sensor(job)` (orchestration/definitions.py passes the build-all job: ingest
+ every dbt model + checks). The landing folder and the warehouse come from the `landing` and
`warehouse` resources. The cursor is JSON: file name → [mtime_ns, size, sha256] of every extract
seen. A file counts as changed only when its content (sha256) is new, so a `touch` or a copy of
the same content does not start a build; the sha256 is only recomputed when mtime or size moved.
Deleting an extract starts nothing: its facts stay in the warehouse.

Without a cursor (a new Dagster instance, e.g. the first `rummelig dev` after `rummelig demo`)
the sensor starts from what the warehouse has already loaded (the sha256 values in
audit.load_log), so opening the UI over a built warehouse starts no run. While a build holds the
DuckDB file the sensor waits (skips the tick without moving its cursor).

A run materialises `jobindsats_asset_keys(assets)` only: the ingest and what is downstream of
raw.jobindsats (the jobindsats marts and the benchmark report), not the whole warehouse; the
checks on those assets run with them (Dagster's default for a run request without
asset_check_keys).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
from dagster import (
    AssetKey,
    AssetsDefinition,
    AssetSelection,
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)
from dagster_duckdb import DuckDBResource

from ingest.audit import file_sha256
from ingest.jobindsats.extracts import extract_files
from orchestration.resources import LandingResource

Fingerprint = dict[str, list]  # file name → [mtime_ns, size, sha256]

RAW_JOBINDSATS = AssetKey(["raw", "jobindsats"])
# The marts' relationship tests read stg_kommuner: built with them, so that a first run on a new
# warehouse does not fail on a missing table.
STG_KOMMUNER = AssetKey(["staging", "stg_kommuner"])


def jobindsats_asset_keys(assets: Iterable[AssetsDefinition]) -> list[AssetKey]:
    """What a new extract makes stale: raw.jobindsats and everything downstream of it, plus
    stg_kommuner. A multi-asset that cannot be subset (the ingest writes every raw table in one
    step) comes whole."""
    assets = list(assets)
    selection = (
        AssetSelection.assets(RAW_JOBINDSATS).downstream()
        | AssetSelection.assets(STG_KOMMUNER).upstream()
    )
    keys = set(selection.resolve(assets))
    for asset in assets:
        if not asset.can_subset and keys & asset.keys:
            keys |= asset.keys
    return sorted(keys, key=lambda k: k.to_user_string())


def jobindsats_folder(landing_dir: Path) -> Path:
    return landing_dir / "jobindsats"


def fingerprint(folder: Path, previous: Fingerprint | None = None) -> Fingerprint:
    """Every extract in the folder; the sha256 is reused while mtime and size are unchanged."""
    previous = previous or {}
    current: Fingerprint = {}
    for path in extract_files(folder):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed while we looked
            continue
        old = previous.get(path.name)
        if old and old[0] == stat.st_mtime_ns and old[1] == stat.st_size:
            sha = old[2]
        else:
            try:
                sha = file_sha256(path)
            except FileNotFoundError:
                continue
        current[path.name] = [stat.st_mtime_ns, stat.st_size, sha]
    return current


def changed_files(previous: Fingerprint, current: Fingerprint) -> list[str]:
    """Names of extracts that are new or whose content changed, in file-name order."""
    return sorted(
        name for name, (_, _, sha) in current.items() if previous.get(name, [None] * 3)[2] != sha
    )


def parse_cursor(cursor: str | None) -> Fingerprint:
    if not cursor:
        return {}
    try:
        value = json.loads(cursor)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def already_loaded(current: Fingerprint, database: Path) -> Fingerprint | None:
    """The extracts of `current` whose content the warehouse has loaded (audit.load_log);
    None while another process holds the warehouse (a build is running)."""
    if not database.exists():
        return {}
    try:
        with duckdb.connect(str(database), read_only=True) as conn:
            rows = conn.execute(
                "SELECT DISTINCT sha256 FROM audit.load_log"
                " WHERE source = 'jobindsats' AND status IN ('loaded', 'skipped')"
            ).fetchall()
    except duckdb.CatalogException:  # a warehouse without a load log has loaded nothing
        return {}
    except duckdb.IOException:
        return None
    loaded = {sha for (sha,) in rows}
    return {name: seen for name, seen in current.items() if seen[2] in loaded}


def make_jobindsats_sensor(
    job,
    *,
    asset_selection: Sequence[AssetKey] | None = None,
    name: str = "jobindsats_extracts",
    minimum_interval_seconds: int = 30,
    default_status: DefaultSensorStatus = DefaultSensorStatus.RUNNING,
) -> SensorDefinition:
    """A sensor that requests a run of `job` (of `asset_selection` within it, when given) when
    <landing>/jobindsats/ has a new or changed extract (.csv, .xlsx, .json)."""

    @sensor(
        name=name,
        job=job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=default_status,
        description="Starter et byg, når der lægges nye eller ændrede jobindsats-udtræk i "
        "landing-mappens jobindsats/.",
    )
    def _jobindsats_sensor(
        context: SensorEvaluationContext, landing: LandingResource, warehouse: DuckDBResource
    ):
        folder = jobindsats_folder(landing.path)
        previous = parse_cursor(context.cursor)
        current = fingerprint(folder, previous)
        if not context.cursor:  # start from what the warehouse has loaded
            previous = already_loaded(current, Path(warehouse.database))
            if previous is None:
                return SkipReason("Datavarehuset er optaget af et byg; prøver igen senere")
        changed = changed_files(previous, current)
        if current != previous or not context.cursor:
            context.update_cursor(json.dumps(current, sort_keys=True))
        if not changed:
            return SkipReason(f"Ingen nye eller ændrede udtræk i {folder}")
        # Keyed on the transition (mtimes included), so content that returns to an earlier
        # version still starts a run; the cursor is what prevents repeats.
        transition = json.dumps({"from": previous, "to": current}, sort_keys=True)
        run_key = hashlib.sha256(transition.encode()).hexdigest()
        context.log.info("Nye/ændrede jobindsats-udtræk: %s", ", ".join(changed))
        return RunRequest(
            run_key=run_key,
            asset_selection=list(asset_selection) if asset_selection else None,
            tags={"rummelig/trigger": "jobindsats", "rummelig/files": str(len(changed))},
        )

    return _jobindsats_sensor
