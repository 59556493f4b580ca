"""The dbt manifest that `@dbt_assets` reads at import time (dbt_project/target/manifest.json).

Several processes (pytest workers, the CLI, other helpers' tests) may parse at the same moment, so
parsing is serialised with a file lock and the manifest is swapped in atomically: a reader never
sees a half-written file. Parsing happens in dbt_project/target/parse (partial parsing makes a
repeat cost about a second); `as_of` is fixed for parsing because the manifest's structure does
not depend on it and a changing var would defeat partial parsing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration.dbt_invocation import DBT_PROJECT_DIR, dbt_args
from orchestration.resources import dbt_executable

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
PARSE_AS_OF = "2000-01-01"


class ManifestError(RuntimeError):
    """dbt parse failed; the message carries dbt's own output."""


def parse_manifest(*, quiet: bool = True) -> Path:
    """Run `dbt parse` and install the manifest at MANIFEST_PATH; returns that path."""
    from datetime import date

    target = MANIFEST_PATH.parent
    parse_dir = target / "parse"
    parse_dir.mkdir(parents=True, exist_ok=True)
    args = dbt_args("parse", as_of=date.fromisoformat(PARSE_AS_OF), target_path=parse_dir)
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_LOG_PATH": str(parse_dir / "logs"),
        # parse never opens the warehouse, but keep it away from any real file regardless
        "RUMMELIG_DATABASE": str(Path(tempfile.gettempdir()) / "rummelig_parse_only.duckdb"),
    }
    with (target / ".parse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = subprocess.run(
            [dbt_executable(), *args, *(["--quiet"] if quiet else [])],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ManifestError(f"dbt parse fejlede:\n{done.stdout}{done.stderr}".strip())
        staged = target / f".manifest.{os.getpid()}.json"
        shutil.copyfile(parse_dir / "manifest.json", staged)
        os.replace(staged, MANIFEST_PATH)
    return MANIFEST_PATH


def _newest_project_file() -> float:
    paths = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ["models", "macros", "seeds", "tests", "snapshots", "analyses"]:
        paths += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def ensure_manifest() -> Path:
    """Parse only when a project file is newer than the manifest (saves ~5 s per command)."""
    if MANIFEST_PATH.exists() and MANIFEST_PATH.stat().st_mtime >= _newest_project_file():
        return MANIFEST_PATH
    return parse_manifest()


if __name__ == "__main__":  # python -m orchestration.manifest
    print(parse_manifest(quiet=False), file=sys.stdout)
