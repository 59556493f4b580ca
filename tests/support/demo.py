"""The tests' demo warehouse: built once per test session by `rummelig demo`, shared read-only by
every test worker that needs it.

Under pytest-xdist the controller starts the build in the background as soon as the session
starts (`start_in_background`), so it runs while the workers do other tests; a worker's
`demo_warehouse` fixture waits for it (`wait_or_build`). Without a background build (a plain
`pytest`, or a run of a few files) the first worker that needs it builds it, under a file lock,
and the others wait. Either way the result is `<session base temp>/demo/` and a JSON file with
`rummelig demo`'s exit code and output. Tests must not write into the demo folder: copy what they
change.

Run as `python -m tests.support.demo OUT_ROOT` to build (what the background build does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from filelock import FileLock

DEMO_AS_OF = date(2025, 11, 15)
DEMO_EMPLOYEES = 400
DEMO_SEED = 7
RESULT = "demo.result.json"
STARTED = "demo.started"
ROOT_DIR = Path(__file__).resolve().parents[2]


def demo_args(out: Path) -> list[str]:
    return [
        "demo", "--out", str(out), "--employees", str(DEMO_EMPLOYEES),
        "--seed", str(DEMO_SEED), "--as-of", DEMO_AS_OF.isoformat(),
    ]  # fmt: skip


def build(root: Path) -> dict:
    """Run `rummelig demo` into `root/demo` (in this process, as the CLI runs it) and write the
    result file atomically; returns it."""
    from click.testing import CliRunner

    from orchestration.cli import cli

    try:
        result = CliRunner().invoke(cli, demo_args(root / "demo"))
        data = {"exit_code": result.exit_code, "output": result.output}
        if result.exception is not None and result.exit_code not in (0, 1, 2):
            data["output"] += f"\n{type(result.exception).__name__}: {result.exception}"
    except BaseException as exc:  # always leave a result: the waiting workers read it
        data = {"exit_code": 1, "output": f"{type(exc).__name__}: {exc}"}
    staged = root / f"{RESULT}.{os.getpid()}"
    staged.write_text(json.dumps(data), encoding="utf-8")
    os.replace(staged, root / RESULT)
    return data


def start_in_background(root: Path) -> subprocess.Popen:
    """The controller's background build (its own process group, so it can be stopped whole)."""
    (root / STARTED).write_text("", encoding="utf-8")
    with (root / "demo.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.demo", str(root)],
            cwd=ROOT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (root / STARTED).write_text(str(process.pid), encoding="utf-8")
    return process


def _building(root: Path) -> bool:
    """The background build is still running (not gone, not a zombie awaiting its parent)."""
    pid = (root / STARTED).read_text(encoding="utf-8").strip()
    if not pid:
        return True  # just being started
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_or_build(root: Path, timeout: float = 3600) -> dict:
    """The demo's result: the finished build, the background build once it ends, or a build
    made here (the first worker to ask, under a lock)."""
    result = root / RESULT
    with FileLock(str(root / "demo.lock")):
        if not result.exists() and (root / STARTED).exists():
            deadline = time.monotonic() + timeout
            while not result.exists() and _building(root) and time.monotonic() < deadline:
                time.sleep(1)
        if not result.exists():
            return build(root)
    return json.loads(result.read_text(encoding="utf-8"))


def wants_demo(args: list[str]) -> bool:
    """Whether a session over these paths runs a test that needs the demo (cheap text search)."""
    for arg in args or ["tests"]:
        path = Path(arg.split("::")[0])
        files = path.rglob("test_*.py") if path.is_dir() else [path]
        for file in files:
            try:
                if "demo_warehouse" in file.read_text(encoding="utf-8"):
                    return True
            except OSError:
                continue
    return False


if __name__ == "__main__":
    sys.exit(0 if build(Path(sys.argv[1]))["exit_code"] == 0 else 1)
