"""The cost curve: a whole `rummelig build` of the synthetic municipality per size.

Per size: wall time and peak RSS of the build's whole process tree (Dagster, dbt, DuckDB), the
warehouse file's size, time per employee, the five slowest dbt models, the jobcentre models'
share of dbt's model time, and the floor — what DuckDB alone needs to read the same landing
registers (read_csv of every register file into a table) — with the ratio build / floor.

Sizes: the command line, else BENCH_SIZES ("3000 30000"), else 3 000, 30 000 and 150 000; the
national sizes (500 000 and 1 000 000 employees, minutes each and gigabytes of landing) only
when asked for (`make bench BENCH_SIZES="500000 1000000"`). The build runs with the default
limits (orchestration/limits.py) unless RUMMELIG_MEMORY_LIMIT / RUMMELIG_THREADS say otherwise.
Landing folders (synth seed 3, as_of 2025-11-15) are kept in BENCH_DATA (default
out/bench_data) and re-used; the warehouses are written there too and replaced each run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.measure import run_tree

REPO_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SIZES = (3_000, 30_000, 150_000)
AS_OF = "2025-11-15"
SEED = 3
GIB = 1 << 30


def data_dir() -> Path:
    return Path(os.environ.get("BENCH_DATA", REPO_DIR / "out" / "bench_data")).resolve()


def rummelig() -> str:
    return str(Path(sys.executable).with_name("rummelig"))


def landing(employees: int) -> Path:
    """The synthetic landing folder of this size (generated once)."""
    folder = data_dir() / f"n{employees}"
    if not (folder / "registers").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [rummelig(), "synth", "--out", str(folder), "--seed", str(SEED)]
            + ["--as-of", AS_OF, "--employees", str(employees)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


def _remove_warehouse(database: Path) -> None:
    for suffix in ("", ".wal", ".new", ".new.wal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    for folder in (database.with_name(database.name + ".tmp"), database.with_suffix(".dagster")):
        shutil.rmtree(folder, ignore_errors=True)


def floor_seconds(folder: Path, work: Path) -> float:
    """DuckDB alone: read_csv of every register's files into a table, in a fresh file, with the
    build's DuckDB settings (its own process, so its memory is its own). As text, by column
    name: the landing has the bad rows a real one has (impossible dates, a file with `;`)."""
    code = """
import sys, time, duckdb
from pathlib import Path
from orchestration.limits import duckdb_settings, resolve
folder, database = Path(sys.argv[1]), Path(sys.argv[2])
registers = sorted({p.name.rsplit("_", 1)[0] for p in (folder / "registers").glob("*.csv")})
started = time.monotonic()
with duckdb.connect(str(database), config=duckdb_settings(resolve(), database)) as conn:
    for name in registers:
        files = sorted(str(p) for p in (folder / "registers").glob(f"{name}_*.csv"))
        options = "header = true, union_by_name = true, all_varchar = true"
        conn.execute(f"create table {name} as select * from read_csv({files!r}, {options})")
print(time.monotonic() - started)
"""
    database = work / "floor.duckdb"
    _remove_warehouse(database)
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(database)],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    _remove_warehouse(database)
    return float(done.stdout.strip().splitlines()[-1])


def model_report(database: Path) -> tuple[list[str], float]:
    """The five slowest models ("name 12.3 s") and the jobcentre models' share of the models'
    time, from the build's run_results.json and manifest."""
    from orchestration.warehouse import dbt_target_path

    target = dbt_target_path(database)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    models = {
        r["unique_id"]: r["execution_time"] for r in results if r["unique_id"].startswith("model.")
    }
    slowest = sorted(models.items(), key=lambda item: -item[1])[:5]
    jobcenter = sum(
        seconds
        for uid, seconds in models.items()
        if "jobcenter" in manifest["nodes"][uid]["original_file_path"].split("/")
    )
    total = sum(models.values()) or 1.0
    return [f"{uid.rsplit('.', 1)[-1]} {s:.1f} s" for uid, s in slowest], jobcenter / total


def bench(employees: int) -> dict:
    folder = landing(employees)
    work = data_dir() / "warehouses"
    work.mkdir(parents=True, exist_ok=True)
    database = work / f"n{employees}.duckdb"
    _remove_warehouse(database)
    log = work / f"n{employees}.log"
    args = [rummelig(), "build", "--input", str(folder), "--database", str(database)]
    with log.open("w", encoding="utf-8") as out:
        wall, peak, code = run_tree([*args, "--as-of", AS_OF], stdout=out, stderr=out)
    measured = {
        "employees": employees,
        "status": "ok" if code == 0 else f"fejl ({code}, se {log})",
        "wall_s": round(wall, 1),
        "peak_rss_gib": round(peak / GIB, 2),
        "us_per_employee": round(wall / employees * 1e6),
        "warehouse_mib": round(database.stat().st_size / (1 << 20)) if database.exists() else 0,
    }
    floor = floor_seconds(folder, work)
    measured |= {"floor_s": round(floor, 1), "build_per_floor": round(wall / floor, 1)}
    if code == 0:
        slowest, share = model_report(database)
        measured |= {"jobcenter_share_pct": round(100 * share, 1), "slowest_models": slowest}
    return measured


def sizes(argv: list[str]) -> list[int]:
    given = argv or os.environ.get("BENCH_SIZES", "").split()
    return [int(size) for size in given] or list(DEFAULT_SIZES)


def main(argv: list[str]) -> int:
    failed = False
    for employees in sizes(argv):
        started = time.monotonic()
        print(f"bygger {employees} ansatte …", file=sys.stderr, flush=True)
        measured = bench(employees)
        failed |= measured["status"] != "ok"
        print(json.dumps(measured, ensure_ascii=False), flush=True)
        print(f"  {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
