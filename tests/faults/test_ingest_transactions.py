"""Ingest on its own (without the publish around it), killed or failing mid-way: a file's rows
and its load-log row commit together, so neither is ever left without the other, and a
re-delivered file that fails half-way leaves its earlier version in place."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import duckdb
import pytest

from tests.faults.harness import ABSENCES, BASE_ROWS, ENGAGEMENTS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Load with the real load_landing; after the first file is staged (committed), stop and wait.
KILLED_LOAD = """
import sys, time, duckdb
import ingest.registers.load as load
real = load._stage_file
def stage_then_wait(*args, **kwargs):
    result = real(*args, **kwargs)
    print("PAUSED", result.file_name, flush=True)
    time.sleep(600)
load._stage_file = stage_then_wait
from ingest.landing import load_landing
with duckdb.connect(sys.argv[1]) as conn:
    load_landing(conn, sys.argv[2])
"""


@pytest.mark.fault("kill_during_ingest_between_files")
def test_a_load_killed_between_two_files_keeps_rows_and_load_log_together(case):
    # absences.csv is staged first (name order); its S4 names an engagement no file has, a
    # cross-file error that only the rebuild of raw.* can count
    case.write("registers/absences.csv", ABSENCES + "S4;E9;egen_sygdom;2024-05-01;;;0\n")
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD, str(case.database), str(case.landing)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        line = process.stdout.readline()
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    assert line.split() == ["PAUSED", "absences.csv"]

    with duckdb.connect(str(case.database), read_only=True) as conn:
        staged = conn.execute("SELECT file_name, sha256 FROM raw._ingest_files").fetchall()
        logged = conn.execute(
            "SELECT file_name, sha256, status, rows_read, rows_loaded, rows_quarantined"
            " FROM audit.load_log"
        ).fetchall()
        rows = conn.execute("SELECT count(*) FROM raw._files_absences").fetchone()[0]
        unbuilt = conn.execute("SELECT file_name FROM raw._unbuilt_files").fetchall()
    # the killed load committed absences.csv: its 4 rows and its load-log row, nothing else
    assert [f for f, _ in staged] == ["absences.csv"]
    assert logged == [("absences.csv", staged[0][1], "loaded", 4, 4, 0)]
    assert rows == 4 and unbuilt == [("absences.csv",)]

    loaded = case.load()  # the next load: absences.csv is skipped, the rest loads, raw.* rebuilt
    assert loaded.error is None
    assert {t: loaded.rows(t) for t in BASE_ROWS} == {**BASE_ROWS, "absences": 3}
    assert loaded.log("absences.csv")[0] == "skipped"
    # the row of the load that staged it now counts S4's dangling reference too
    assert loaded.sql(
        "SELECT rows_read, rows_loaded, rows_quarantined, message FROM audit.load_log"
        " WHERE file_name = 'absences.csv' AND status = 'loaded'"
    ) == [(4, 3, 1, "1 række(r) i karantæne")]
    assert loaded.sql("SELECT count(*) FROM raw._unbuilt_files") == [(0,)]
    assert loaded.sql(
        "SELECT count(*) FROM audit.load_log WHERE rows_read <> rows_loaded + rows_quarantined"
    ) == [(0,)]


@pytest.mark.fault("redelivered_file_fails_midway")
def test_a_re_delivered_file_that_fails_half_way_leaves_its_earlier_version(case, monkeypatch):
    import ingest.registers.load as load

    first = case.load()
    before = first.sql("SELECT * FROM raw._files_engagements ORDER BY ALL")
    sha_before = first.sql("SELECT sha256 FROM raw._ingest_files WHERE file_name = ?", [
        "engagements.csv"
    ])  # fmt: skip
    # the new version (E4 gone, E5 new) is staged in batches of two rows; the second batch fails
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS.replace("E4;0505001234", "E5;0505001234"),
    )
    monkeypatch.setattr(load, "BATCH_ROWS", 2)
    real_append = load.append_rows
    calls = []

    def append_then_fail(conn, register, *args):
        calls.append(register)
        if register == "engagements" and calls.count("engagements") == 2:
            raise OSError(5, "Input/output error")  # the disk failed mid-file
        return real_append(conn, register, *args)

    monkeypatch.setattr(load, "append_rows", append_then_fail)
    failed = case.load()
    assert failed.error is None  # one file failed; the load goes on
    assert failed.log("engagements.csv") == (
        "failed", 0, 0, 0, "engagements.csv: filen kan ikke læses (Input/output error)"
    )  # fmt: skip
    after = failed.sql("SELECT * FROM raw._files_engagements ORDER BY ALL")
    sha_after = failed.sql(
        "SELECT sha256 FROM raw._ingest_files WHERE file_name = 'engagements.csv'"
    )
    assert calls.count("engagements") == 2  # it did fail half-way, after one batch
    assert after == before and sha_after == sha_before  # the earlier version, whole
    assert failed.sql("SELECT engagement_id FROM raw.engagements ORDER BY 1") == [
        ("E1",), ("E2",), ("E3",), ("E4",)
    ]  # fmt: skip

    monkeypatch.setattr(load, "append_rows", real_append)  # the disk is back
    again = case.load()
    assert again.log("engagements.csv")[:4] == ("loaded", 4, 4, 0)
    assert [r[0] for r in again.sql("SELECT engagement_id FROM raw.engagements ORDER BY 1")] == [
        "E1", "E2", "E3", "E5"
    ]  # fmt: skip
