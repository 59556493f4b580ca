"""What every bench shares: dbt's per-model timings and the loop over warehouse sizes.

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
