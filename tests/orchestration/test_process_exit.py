"""The `rummelig` process ends without Python's module clean-up, but like Python's own exit:
the same exit code, every line written, the atexit handlers run (orchestration/process_exit.py)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from orchestration.process_exit import exit_code

REPO = Path(__file__).resolve().parents[2]


def _console(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    marker, worker = tmp_path / "atexit.txt", tmp_path / "thread.txt"
    code = (
        "import atexit, sys, threading, time\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('kørt'))\n"
        "def work():\n"
        "    time.sleep(0.5)\n"
        f"    open({str(worker)!r}, 'w').write('færdig')\n"
        "threading.Thread(target=work).start()  # not a daemon: the exit waits for it\n"
        "sys.stdout.write('uden linjeskift')  # still buffered when the process ends\n"
        "from orchestration.cli import console_main\n"
        f"sys.argv = ['rummelig', *{args!r}]\n"
        "console_main()\n"
        "print('nås ikke')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )


def test_the_console_script_is_console_main():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["rummelig"] == "orchestration.cli:console_main"


def test_success_exits_0_with_output_flushed_threads_joined_and_atexit_run(tmp_path):
    from orchestration.cli import _version

    done = _console(["--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"uden linjeskiftrummelig {_version()}\n"
    assert (tmp_path / "atexit.txt").read_text() == "kørt"
    assert (tmp_path / "thread.txt").read_text() == "færdig"


def test_a_usage_error_keeps_its_exit_code_and_message(tmp_path):
    done = _console(["findes-ikke"], tmp_path)
    assert done.returncode == 2
    assert "findes-ikke" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "atexit.txt").read_text() == "kørt"


@pytest.mark.parametrize(
    ("code", "expected", "printed"),
    [(None, 0, ""), (0, 0, ""), (3, 3, ""), ("Stop: forkert brug", 1, "Stop: forkert brug\n")],
)
def test_exit_code_follows_python(code, expected, printed, capsys):
    assert exit_code(SystemExit(code)) == expected
    assert capsys.readouterr().err == printed
