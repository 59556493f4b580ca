"""Running dbt in-process against one warehouse file, with its own target folder.

A separate target path per warehouse keeps parallel builds (tests, Dagster) from sharing
manifest and partial-parse files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"


class DbtError(RuntimeError):
    """dbt failed; the message lists the failing nodes."""


@dataclass(frozen=True)
class DbtOutcome:
    success: bool
    failures: list[str]
    results: list[tuple[str, str]]  # (unique_id, status)


def dbt_args(
    command: str,
    *,
    as_of: date,
    target_path: Path,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    extra_vars: dict | None = None,
) -> list[str]:
    """The dbt CLI arguments for one invocation (pure: unit-tested)."""
    args = [
        command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--vars",
        json.dumps({"as_of": as_of.isoformat(), **(extra_vars or {})}),
    ]
    if select:
        args += ["--select", *select]
    if exclude:
        args += ["--exclude", *exclude]
    return args


def run_dbt(
    command: str,
    *,
    database: Path,
    as_of: date,
    target_path: Path | None = None,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    raise_on_failure: bool = True,
) -> DbtOutcome:
    """Run `dbt <command>` in-process on `database`; raise DbtError naming failing nodes."""
    from dbt.cli.main import dbtRunner

    target_path = target_path or database.parent / f"{database.stem}_dbt_target"
    os.environ["RUMMELIG_DATABASE"] = str(database)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ["DBT_LOG_PATH"] = str(target_path / "logs")
    args = dbt_args(command, as_of=as_of, target_path=target_path, select=select, exclude=exclude)
    result = dbtRunner().invoke(args + ["--quiet"])
    rows: list[tuple[str, str]] = []
    failures: list[str] = []
    if result.result is not None and hasattr(result.result, "results"):
        for r in result.result.results:
            status = str(r.status)
            rows.append((r.node.unique_id, status))
            if status in ("error", "fail"):
                failures.append(f"{r.node.unique_id}: {status} — {r.message}")
    if result.exception is not None:
        failures.append(f"dbt {command} raised: {result.exception}")
    outcome = DbtOutcome(success=bool(result.success), failures=failures, results=rows)
    if raise_on_failure and not outcome.success:
        raise DbtError(f"dbt {command} failed:\n" + "\n".join(failures or ["(no detail)"]))
    return outcome
