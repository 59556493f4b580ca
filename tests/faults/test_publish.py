"""The publish path (docs/decisions/publish.md): kill -9 in each stage of a build on an existing
warehouse, a build that fails in dbt or in a blocking check, a full disk — the published
warehouse stays byte for byte what it was and readable, and a later build succeeds.

The existing warehouse is a copy of the session's demo warehouse (built by `rummelig demo`);
every build here is the real `rummelig build` in its own process (tests/support/
paused_build.py stops it at a stage so the kill lands there). Each case ends with the CPR scan
of the published file (tests/faults/harness.py).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import build_file_of, wal_of
from tests.faults.harness import scan_warehouse

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("publish")]

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 1800  # a build on a machine shared by several test suites


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def marts_snapshot(database: Path) -> dict[str, tuple[int, str]]:
    """Every marts table: (rows, md5 of its rows in a fixed order), build timestamps left out —
    independent of the file's bytes, so it shows that what a reader sees is the same."""
    with duckdb.connect(str(database), read_only=True) as conn:
        columns: dict[str, list[str]] = {}
        for table, column, kind in conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'marts' ORDER BY table_name, ordinal_position"
        ).fetchall():
            if not kind.startswith("TIMESTAMP"):  # built_at differs from build to build
                columns.setdefault(table, []).append(f'"{column}"')
        return {
            table: conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(r, '|' ORDER BY r), ''))"
                f" FROM (SELECT CAST(({', '.join(cols)},) AS VARCHAR) AS r FROM marts.{table})"
            ).fetchone()
            for table, cols in columns.items()
        }


def _load_log(database: Path) -> Counter:
    with duckdb.connect(str(database), read_only=True) as conn:
        return Counter(
            conn.execute(
                "SELECT file_name, source, register, sha256, status, rows_read, rows_loaded"
                " FROM audit.load_log"
            ).fetchall()
        )


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "RUMMELIG_PSEUDONYM_KEY"}
    env["PYTHONPATH"] = str(ROOT)  # tests.support.paused_build
    return env


def killed_build(stage: str, landing: Path, database: Path, as_of: str) -> str:
    """Start `rummelig build`, wait until it stops at `stage`, kill -9 its process group (dbt
    too); returns what it printed."""
    args = ["--input", str(landing), "--database", str(database), "--as-of", as_of]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.paused_build", stage, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=_env(),
        start_new_session=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + TIMEOUT
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith(f"PAUSED {stage}") or time.monotonic() > deadline:
                break
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    output = "".join(lines)
    assert f"PAUSED {stage}" in output, output
    assert process.returncode == -signal.SIGKILL
    return output


def build(landing: Path, database: Path, as_of: str, **kwargs) -> subprocess.CompletedProcess:
    args = ["--input", str(landing), "--database", str(database), "--as-of", as_of]
    code = "from orchestration.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, "build", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=TIMEOUT,
        **kwargs,
    )


@pytest.fixture(scope="module")
def existing(demo_warehouse, tmp_path_factory):
    """A published warehouse (a copy of the demo's) with its snapshot taken before any fault."""
    folder = tmp_path_factory.mktemp("published")
    database = folder / "rummelig.duckdb"
    shutil.copyfile(demo_warehouse.database, database)
    return {
        "landing": demo_warehouse.landing,
        "database": database,
        "as_of": demo_warehouse.as_of.isoformat(),
        "sha256": sha256(database),
        "marts": marts_snapshot(database),
    }


def assert_unchanged(existing: dict) -> None:
    database = existing["database"]
    assert sha256(database) == existing["sha256"]  # byte for byte
    assert not wal_of(database).exists()
    assert marts_snapshot(database) == existing["marts"]  # and readable, every mart as before
    scan_warehouse(database, existing["landing"])


KILLS = [
    pytest.param("copy", marks=pytest.mark.fault("kill_during_copy"), id="copy"),
    pytest.param("ingest", marks=pytest.mark.fault("kill_during_ingest"), id="ingest"),
    pytest.param("dbt", marks=pytest.mark.fault("kill_during_dbt"), id="dbt"),
    pytest.param("gx", marks=pytest.mark.fault("kill_during_gx_checks"), id="gx"),
    pytest.param("swap", marks=pytest.mark.fault("kill_right_before_the_swap"), id="swap"),
]


@pytest.mark.parametrize("stage", KILLS)
def test_kill_9_leaves_the_published_warehouse_as_it_was(existing, stage):
    output = killed_build(stage, existing["landing"], existing["database"], existing["as_of"])
    if stage in ("dbt", "gx", "swap"):
        assert "dbt bygger" in output  # the kill came after dbt started writing the build file
    assert build_file_of(existing["database"]).exists()  # what the killed build left behind
    assert_unchanged(existing)


@pytest.mark.fault("disk_full")
def test_a_full_disk_during_the_build_fails_it_with_one_line_and_the_warehouse_stays(existing):
    """The file-size limit (RLIMIT_FSIZE) of the build and its dbt stands in for a full disk:
    the copy fits, the first write beyond it fails in DuckDB with EFBIG, as with ENOSPC."""
    database = existing["database"]
    limit = database.stat().st_size + 64 * 1024

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    done = build(existing["landing"], database, existing["as_of"], preexec_fn=limited)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Fejl: Der er ikke plads på disken til datavarehuset i {database.parent}: frigør plads"
        " og byg igen."
    ]
    assert f"Datavarehuset {database} er uændret: bygget er ikke udgivet." in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert not build_file_of(database).exists()
    assert_unchanged(existing)


@pytest.mark.fault("stale_build_file_after_a_kill")
def test_the_build_after_the_kills_removes_their_build_file_and_publishes(existing):
    """After the kills above (in this module's order; a stale build file is planted when this
    test runs alone): the next build says it removed the stale file, publishes, and the marts
    equal the earlier ones — the same landing folder loaded twice changes nothing (every file
    `skipped`)."""
    stale = build_file_of(existing["database"])
    if not stale.exists():
        stale.write_bytes(b"half a warehouse")
    log_before = _load_log(existing["database"])
    done = build(existing["landing"], existing["database"], existing["as_of"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Et afbrudt byg efterlod {stale.name}: fjernet." in done.stdout
    assert f"Datavarehuset {existing['database']} er udgivet" in done.stdout
    assert not stale.exists() and not wal_of(stale).exists()
    after = marts_snapshot(existing["database"])
    # loading the same landing folder again: every file `skipped`, nothing new loaded
    added = _load_log(existing["database"]) - log_before
    assert added and {row[4] for row in added} == {"skipped"}
    # meta_data_quality is the load history (a second load adds its skips): every other mart
    # is the same as before the kills
    assert {t for t in after if after[t] != existing["marts"][t]} == {"meta_data_quality"}
    scan_warehouse(existing["database"], existing["landing"])
