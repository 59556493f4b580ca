"""Benchmark: build the quota marts (issue 3) at national scale (not a unit test).

`python -m tests.bench.bench_quota [employees ...]` (also run by `make bench`, never by
`make test`). The raw tables are generated directly in DuckDB SQL (hash-based, deterministic), so
the timing is the dbt run of the quota lineage alone: staging, foundation, the int_quota_* models,
fct_quota_status, fct_quota_breaches and fct_inclusion_reconciliation. The default 450 000
employees is about the staff of all 98 municipalities. Units and engagements come from the
sickness bench (~11 000 workplaces, one per 40 employees, each with a sub-unit; ~520 000
engagements since 2018, ~6 % inclusion types); here 80 % of the workplaces get an approval period,
30 % of the ended ordinary engagements become dismissals, and there is one placement per 10
employees, of every scheme, a fifth of them in a sub-unit.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from tests.bench.bench_sickness import fill_staff
from tests.bench.measure import model_timings, run_sizes
from tests.support.warehouse import empty_warehouse, run_dbt

AS_OF = date(2025, 11, 15)
DEFAULT_SIZES = (50_000, 450_000)
QUOTA_MARTS = ["fct_quota_status", "fct_quota_breaches", "fct_inclusion_reconciliation"]
SCHEMES = (
    "['virksomhedspraktik','nyttejob','loentilskud','fleksjob','skaanejob','saerlige_vilkaar',"
    "'seniorjob','beskyttet_beskaeftigelse']"
)


def fill_raw(conn: duckdb.DuckDBPyConnection, employees: int) -> dict[str, int]:
    """Insert a synthetic country-sized set of org units, engagements and placements into raw.*."""
    fill_staff(conn, employees)  # the sickness bench's units and staff, plus what quota needs:
    workplaces = max(1, employees // 40)
    conn.execute(
        """
        update raw.org_units set
            inclusion_approved_from = date '2019-01-01' + cast(_row_number % 1500 as integer),
            inclusion_approved_to = case when _row_number % 7 = 0 then date '2024-06-30' end
        where p_number is not null and _row_number % 5 <> 0
        """
    )
    conn.execute(
        """
        update raw.engagements
        set end_reason = case when hash(engagement_id, 'd') % 100 < 30 and
                                   engagement_type = 'ordinaer' then 'afskediget'
                              else 'opsagt' end
        where end_date is not null
        """
    )
    conn.execute(
        f"""
        insert into raw.placements
        with p as (
            select i, hash(i, 'pl') as h from range(0, ?) t(i)
        )
        select 'p' || i, md5('x' || i) || md5('y' || i),
            date '1965-01-01' + cast(h % 15000 as integer),
            case when h % 5 = 0 then 's' else 'w' end || ((h // 3) % {workplaces}),
            ({SCHEMES})[1 + cast((h // 7) % 8 as integer)],
            null,
            case when (h // 11) % 10 = 0 then null else 10.0 + cast((h // 13) % 28 as integer) end,
            date '2020-01-01' + cast((h // 17) % 2200 as integer),
            null,
            case when (h // 19) % 10 < 7
                 then date '2020-01-01' + cast((h // 17) % 2200 + 30 + (h // 23) % 300 as integer)
            end,
            null, null, 'bench', i
        from p
        """,
        [max(1, employees // 10)],
    )
    return {
        table: conn.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
        for table in ("org_units", "engagements", "placements")
    }


def bench(employees: int, work_dir: Path) -> dict:
    database = empty_warehouse(work_dir / f"bench_{employees}.duckdb")
    with duckdb.connect(str(database)) as conn:
        rows = fill_raw(conn, employees)
    target = work_dir / f"target_{employees}"
    started = time.perf_counter()
    run_dbt(
        "run",
        database=database,
        as_of=AS_OF,
        target_path=target,
        select=[f"+{m}" for m in QUOTA_MARTS],
    )
    elapsed = time.perf_counter() - started
    with duckdb.connect(str(database)) as conn:
        marts = {
            f"{m}_rows": conn.execute(f"select count(*) from marts.{m}").fetchall()[0][0]
            for m in QUOTA_MARTS
        }
    timings = model_timings(target)
    return {
        "employees": employees,
        **rows,
        **marts,
        "build_seconds": round(elapsed, 1),
        "models": {k: v for k, v in timings.items() if "quota" in k or "reconciliation" in k},
    }


if __name__ == "__main__":
    run_sizes(bench, sys.argv[1:], DEFAULT_SIZES, "quota")
