"""Timing of the register ingest at national scale (not part of the test suite).

    .venv/bin/python -m tests.ingest.bench_ingest --engagements 500000 --absences 10000000

Writes synthetic register files (vectorised, unique valid CPRs) into a temp folder, then times
load_registers on a fresh DuckDB file and prints rows per second and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl


def write_landing(folder: Path, engagements: int, absences: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    units = 2000
    pl.DataFrame(
        {
            "org_unit_id": ["K"] + [f"U{i}" for i in range(units)],
            "name": ["Kommunen"] + [f"Enhed {i}" for i in range(units)],
            "parent_id": [None] + ["K"] * units,
            "p_number": [None] + [str(1_000_000_000 + i) for i in range(units)],
        }
    ).write_csv(folder / "org_units.csv", separator=";")
    # Distinct CPRs: day 01–28, month 01–12, year and a running serial keep them unique.
    n = np.arange(engagements)
    day, month, year = n % 28 + 1, (n // 28) % 12 + 1, (n // 336) % 100
    serial = (n // 33600) % 4000
    cpr = pl.format(
        "{}{}{}-{}",
        pl.lit(pl.Series(day)).cast(pl.String).str.zfill(2),
        pl.lit(pl.Series(month)).cast(pl.String).str.zfill(2),
        pl.lit(pl.Series(year)).cast(pl.String).str.zfill(2),
        pl.lit(pl.Series(serial)).cast(pl.String).str.zfill(4),
    )
    pl.select(
        engagement_id=pl.format("E{}", pl.lit(pl.Series(n))),
        cpr=cpr,
        org_unit_id=pl.format("U{}", pl.lit(pl.Series(rng.integers(0, units, engagements)))),
        engagement_type=pl.lit("ordinaer"),
        weekly_hours=pl.lit("37,0"),
        start_date=pl.lit("01-01-2020"),
        end_date=pl.lit(None, pl.String),
    ).write_csv(folder / "engagements.csv", separator=";")
    spells = np.arange(absences)
    # Round robin: each engagement gets one spell per 20-day round (few overlaps, as in real data).
    engagement = spells % engagements
    start = np.datetime64("2020-01-01") + (
        spells // engagements * 20 + rng.integers(0, 5, absences)
    )
    pl.select(
        absence_id=pl.format("S{}", pl.lit(pl.Series(spells))),
        engagement_id=pl.format("E{}", pl.lit(pl.Series(engagement))),
        cause=pl.lit("egen_sygdom"),
        from_date=pl.lit(pl.Series(start)).cast(pl.String),
        to_date=pl.lit(pl.Series(start + rng.integers(0, 3, absences))).cast(pl.String),
        hours=pl.lit(None, pl.String),
        s56=pl.lit("nej"),
    ).write_csv(folder / "absences.csv", separator=";")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engagements", type=int, default=500_000)
    parser.add_argument("--absences", type=int, default=2_000_000)
    args = parser.parse_args()
    os.environ.setdefault("RUMMELIG_PSEUDONYM_KEY", "bench-secret")
    from ingest.registers.load import load_registers

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "registers"
        t0 = time.perf_counter()
        write_landing(folder, args.engagements, args.absences)
        print(f"landing written in {time.perf_counter() - t0:.1f} s")
        sizes = {p.name: p.stat().st_size / 1e6 for p in folder.iterdir()}
        print("file sizes (MB):", {k: round(v) for k, v in sizes.items()})
        with duckdb.connect(str(Path(tmp) / "bench.duckdb")) as conn:
            t0 = time.perf_counter()
            last = [t0]

            def progress(message: str) -> None:
                now = time.perf_counter()
                print(f"  +{now - last[0]:6.1f} s  {message}")
                last[0] = now

            results = load_registers(conn, folder, progress)
            total = time.perf_counter() - t0
            for r in results:
                print(
                    f"  {r.file_name}: read {r.rows_read}, loaded {r.rows_loaded}, "
                    f"quarantined {r.rows_quarantined}"
                )
            reasons = conn.execute(
                "SELECT reason, count(*) FROM audit.quarantine GROUP BY ALL ORDER BY ALL"
            ).fetchall()
        rows = args.engagements + args.absences
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
        print(
            f"total {total:.1f} s for {rows:,} rows ({rows / total:,.0f} rows/s); "
            f"quarantine reasons: {reasons}; peak RSS {peak:.1f} GB"
        )


if __name__ == "__main__":
    main()
