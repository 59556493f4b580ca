"""A user's mistake gives one clear Danish line on stderr, exit 2, and no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from orchestration.cli import _report_options


def _run(*args: str) -> subprocess.CompletedProcess:
    code = "from orchestration.cli import console_main; console_main()"  # the `rummelig` script
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "--input", "/findes/ikke", "--database", "/tmp/x.duckdb"],
            "Fejl: Inputmappen /findes/ikke findes ikke.",
        ),
        (
            ["build", "--input", "/tmp", "--database", "/tmp/x.duckdb", "--as-of", "2025-13-01"],
            "Fejl: Ugyldig værdi for '--as-of': '2025-13-01' er ikke en dato på formen ÅÅÅÅ-MM-DD",
        ),
        (
            ["report", "findes_ikke", "--database", "/tmp/x.duckdb", "--period", "2025"],
            "Fejl: Ukendt rapport 'findes_ikke'.",
        ),
    ],
)
def test_user_errors_are_one_line(args, message):
    done = _run(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(message)
    assert "Traceback" not in done.stderr + done.stdout


def test_a_landing_folder_ingest_refuses_is_one_line_and_leaves_no_file(tmp_path):
    """`rummelig build --input <a folder without registers/>`: the ingest step fails inside
    Dagster; the user reads one Danish line naming the folder and the reason, exit 2."""
    database = tmp_path / "w.duckdb"
    done = _run("build", "--input", str(tmp_path), "--database", str(database))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Fejl: Landing-mappen kunne ikke indlæses: Mappen med registre findes ikke:"
        f" {tmp_path / 'registers'}"
    ]
    assert "Traceback" not in done.stdout and "Dependencies for step" not in done.stdout
    assert not database.exists()  # no empty or half-written warehouse left behind


def test_report_options_pass_through():
    assert _report_options(["--unit", "u7", "--table=Y07A02", "--all-units"]) == {
        "unit": "u7",
        "table": "Y07A02",
        "all_units": True,
    }


def test_a_full_disk_reads_the_same_whichever_step_or_file_met_it(tmp_path):
    """A step that fails on a full disk and DuckDB refusing to write the build file at the
    publish's checkpoint give the one line docs/cli.md promises, naming the warehouse's folder
    (the disk_full fault test met either, depending on where the first write overflowed)."""
    from datetime import date

    import duckdb

    from orchestration.build import BuildOutcome, _storage_error
    from orchestration.publish import build_file_of, duckdb_problem

    database = tmp_path / "rummelig.duckdb"
    line = f"Der er ikke plads på disken til datavarehuset i {tmp_path}: frigør plads og byg igen."
    for words in ("No space left on device", "File too large", "Disk quota exceeded"):
        refused = duckdb.IOException(f'Could not write file "{build_file_of(database)}": {words}')
        assert str(duckdb_problem(build_file_of(database), refused)) == line
        step = BuildOutcome(database, date(2025, 11, 15), False, 1.0, errors=[f"dbt: {words}"])
        assert str(_storage_error(step)) == line
    healthy = BuildOutcome(database, date(2025, 11, 15), False, 1.0, errors=["dbt: a test failed"])
    assert _storage_error(healthy) is None
