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


def _worker(tmp_path: Path, skip_clean_up: bool) -> subprocess.CompletedProcess:
    """A spawned worker that registers an atexit handler, makes a semaphore and holds an object
    whose clean-up writes a file; its parent prints the worker's exit code."""
    code = (
        "import atexit, multiprocessing, sys\n"
        "from orchestration.process_exit import worker_exits_without_clean_up\n"
        "class Teardown:  # holds what it needs: the clean-up empties modules first\n"
        "    def __init__(self, path):\n"
        "        self.path, self.open = path, open\n"
        "    def __del__(self):\n"
        "        self.open(self.path, 'w').write('kørt')\n"
        "def work(folder):\n"
        f"    if {skip_clean_up}:\n"
        "        worker_exits_without_clean_up()\n"
        "    sys.modules['held'] = type(sys)('held')\n"
        "    sys.modules['held'].obj = Teardown(folder + '/teardown.txt')  # until the clean-up\n"
        "    atexit.register(lambda: open(folder + '/atexit.txt', 'w').write('kørt'))\n"
        "    work.lock = multiprocessing.get_context('spawn').Lock()  # a named semaphore\n"
        "if __name__ == '__main__':\n"
        "    context = multiprocessing.get_context('spawn')\n"
        "    process = context.Process(target=work, args=(sys.argv[1],))\n"
        "    process.start()\n"
        "    process.join()\n"
        "    print(process.exitcode)\n"
    )
    script = tmp_path / "worker.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("skip_clean_up", [True, False], ids=["worker", "plain"])
def test_a_worker_skips_the_module_clean_up_but_not_atexit_or_multiprocessings_finalizers(
    tmp_path, skip_clean_up
):
    """The GX and report processes skip Python's module clean-up (~0.3–0.5 s with GX or
    matplotlib loaded), but every atexit handler still runs, and so do multiprocessing's
    finalizers: a semaphore made in the worker is unlinked, else the resource tracker warns of
    a leak when the build ends. The plain worker shows what is skipped."""
    done = _worker(tmp_path, skip_clean_up)
    assert done.stdout.strip() == "0", done.stderr
    assert (tmp_path / "atexit.txt").read_text() == "kørt"
    assert "leaked" not in done.stderr, done.stderr
    assert (tmp_path / "teardown.txt").exists() is not skip_clean_up
