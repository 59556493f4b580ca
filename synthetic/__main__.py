"""python -m synthetic --out DIR --seed N --employees N --start D --as-of D"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from synthetic.generate import generate_landing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthetic", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="landing folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument("--start", type=date.fromisoformat, default=None)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    parser.add_argument("--municipality-code", default="615")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        rows = generate_landing(
            args.out,
            seed=args.seed,
            employees=args.employees,
            start=args.start,
            as_of=args.as_of,
            municipality_code=args.municipality_code,
        )
    except (ValueError, FileExistsError) as exc:  # bad arguments: one line, no traceback
        parser.exit(2, f"Fejl: {exc}\n")
    for name, count in sorted(rows.items()):
        print(f"{name}: {count} rows")
    print(f"written to {args.out} in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
