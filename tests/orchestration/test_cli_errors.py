"""A user's mistake gives one clear Danish line on stderr, exit 2, and no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from orchestration.cli import _report_options


def _run(*args: str) -> subprocess.CompletedProcess:
    code = "from orchestration.cli import main; main()"
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


def test_report_options_pass_through():
    assert _report_options(["--unit", "u7", "--table=Y07A02", "--all-units"]) == {
        "unit": "u7",
        "table": "Y07A02",
        "all_units": True,
    }
