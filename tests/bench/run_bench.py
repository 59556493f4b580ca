"""`make bench`: run every tests/bench/bench_*.py and print a table of their timings.

Each bench is a module run as `python -m tests.bench.<name>` in its own process (so one bench's
memory does not weigh on the next). A bench prints one JSON object per measurement on stdout;
those are shown beside the wall time and kept in bench_results/<timestamp>.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent.parent


def discover(names: list[str] | None = None) -> list[str]:
    modules = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    return [m for m in modules if not names or m in names or m.removeprefix("bench_") in names]


def parse_measurements(stdout: str) -> list[dict]:
    """The JSON objects a bench printed, one per line; other lines are ignored."""
    found = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return found


def run_one(module: str) -> dict:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", f"tests.bench.{module}"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "bench": module,
        "status": "ok" if done.returncode == 0 else f"fejl ({done.returncode})",
        "seconds": round(time.monotonic() - started, 1),
        "measurements": parse_measurements(done.stdout),
        "error": done.stderr.strip().splitlines()[-1] if done.returncode and done.stderr else "",
    }


def _fmt(measurement: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in measurement.items())


def table(results: list[dict]) -> str:
    rows = [("bench", "status", "sekunder", "målinger")]
    for r in results:
        lines = [_fmt(m) for m in r["measurements"]] or [r["error"]]
        rows.append((r["bench"], r["status"], f"{r['seconds']:.1f}", lines[0]))
        rows += [("", "", "", line) for line in lines[1:]]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    out = []
    for i, row in enumerate(rows):
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)))
        out[-1] += "  " + row[3]
        if i == 0:
            out.append("-" * len(out[-1]))
    return "\n".join(out)


def main(argv: list[str]) -> int:
    modules = discover(argv)
    if not modules:
        print("Ingen benchmarks fundet.", file=sys.stderr)
        return 2
    results = []
    for module in modules:
        print(f"Kører {module} …", flush=True)
        results.append(run_one(module))
    print(table(results))
    out_dir = REPO_DIR / "bench_results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (out_dir / f"{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0 if all(r["status"] == "ok" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
