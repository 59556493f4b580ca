"""What every bench shares: dbt's per-model timings, the loop over warehouse sizes and the
peak memory of a process tree.

A bench prints one JSON object per size on stdout; run_bench collects them (see run_bench.py).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path


def model_timings(target_path: Path) -> dict[str, float]:
    """Seconds per dbt node of the last invocation, from target/run_results.json."""
    results = json.loads((target_path / "run_results.json").read_text())
    return {
        r["unique_id"].split(".")[-1]: round(r["execution_time"], 1) for r in results["results"]
    }


def run_sizes(
    bench: Callable[[int, Path], dict], argv: Sequence[str], default_sizes: Sequence[int], name: str
) -> None:
    """Run `bench(employees, work_dir)` for each size on the command line (else the defaults)."""
    sizes = [int(a) for a in argv] or list(default_sizes)
    with tempfile.TemporaryDirectory(prefix=f"bench_{name}_") as tmp:
        for employees in sizes:
            print(json.dumps(bench(employees, Path(tmp)), ensure_ascii=False), flush=True)


def _tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants (bytes), from /proc."""
    import os

    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, []))
    return total


def run_tree(args: Sequence[str], every: float = 0.25, **popen) -> tuple[float, int, int]:
    """Run a command; (wall seconds, peak summed RSS of its process tree in bytes, exit code).
    The tree is sampled every `every` seconds (a shorter peak can be missed)."""
    import subprocess
    import time

    started = time.monotonic()
    process = subprocess.Popen(list(args), **popen)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(every)
    return time.monotonic() - started, peak, process.returncode
