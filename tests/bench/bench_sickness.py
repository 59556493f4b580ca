"""Benchmark: build marts.fct_sickness on a large synthetic register set (not a unit test).

The raw tables are generated directly in DuckDB SQL (hash-based, deterministic), so the timing is
the dbt build alone: `python -m tests.bench.bench_sickness [employees ...]`.
Person keys are 64 hex characters like the real HMAC pseudonyms. Per employee: one engagement
(15 % change job once), ~6 % inclusion types, and ~1.5 sickness spells per employment year over
about four years, on ~1 workplace per 40 employees.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from tests.bench.measure import model_timings, run_sizes
from tests.support.warehouse import empty_warehouse, run_dbt

AS_OF = date(2025, 11, 15)
DEFAULT_SIZES = (50_000, 200_000)

INCLUSION_TYPES = (
    "['fleksjob','loentilskud','skaanejob','saerlige_vilkaar','seniorjob','fleksjob_foer_2013']"
)
PERSON_KEY = "md5('p' || i) || md5('q' || i)"  # 64 hex characters


def fill_raw(conn: duckdb.DuckDBPyConnection, employees: int) -> dict[str, int]:
    """Insert a synthetic municipality of `employees` persons into raw.* (set-based SQL)."""
    fill_staff(conn, employees)
    fill_absences(conn)
    return {
        table: conn.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
        for table in ("org_units", "engagements", "absences")
    }


def fill_staff(conn: duckdb.DuckDBPyConnection, employees: int) -> None:
    """Org units (one workplace with one sub-unit per 40 employees) and their engagements."""
    workplaces = max(1, employees // 40)
    conn.execute(
        """
        insert into raw.org_units (org_unit_id, name, parent_id, p_number, workplace_type,
                                   _source_file, _row_number)
        select 'k', 'Kommune', null, null, null, 'bench', 0
        union all
        select 'a' || i, 'Område ' || i, 'k', null, null, 'bench', i from range(1, 6) t(i)
        union all
        select 'w' || i, 'Arbejdsplads ' || i, 'a' || (i % 5 + 1), lpad(i::varchar, 10, '0'),
               'andet', 'bench', i from range(0, ?) t(i)
        union all
        select 's' || i, 'Afsnit ' || i, 'w' || i, null, null, 'bench', i from range(0, ?) t(i)
        """,
        [workplaces, workplaces],
    )
    # Job changers (15 %) get a second engagement starting the day after the first one ends.
    conn.execute(
        f"""
        insert into raw.engagements
        with persons as (
            select i, hash(i, 'p') as h from range(0, ?) t(i)
        ),
        first as (
            select i, h,
                date '2018-01-01' + cast(h % 2800 as integer) as start_date,
                (h // 7) % 100 < 15 as changes_job,
                (h // 11) % 100 < 10 as leaves
            from persons
        )
        select 'e' || i || '_1', {PERSON_KEY}, date '1970-01-01' + cast(h % 15000 as integer),
            case when (h // 13) % 2 = 0 then 'w' else 's' end || (i % {workplaces}),
            case when (h // 17) % 100 < 90 then 'ordinaer'
                 when (h // 17) % 100 < 94 then 'elev'
                 else ({INCLUSION_TYPES})[1 + cast((h // 29) % 6 as integer)] end,
            case when (h // 19) % 3 = 0 then 25.0 else 37.0 end,
            start_date,
            case when changes_job or leaves
                 then start_date + 200 + cast((h // 23) % 1200 as integer) end,
            null, null, null, 'bench', i
        from first
        union all
        select 'e' || i || '_2', {PERSON_KEY}, date '1970-01-01' + cast(h % 15000 as integer),
            'w' || ((i + 7) % {workplaces}), 'ordinaer', 37.0,
            start_date + 201 + cast((h // 23) % 1200 as integer),
            null, null, null, null, 'bench', i
        from first where changes_job
        """,
        [employees],
    )


def fill_absences(conn: duckdb.DuckDBPyConnection) -> None:
    """~1.5 sickness spells per employment year of every engagement in raw.engagements."""
    # ~1.5 spells per employment year: k-th spell of an engagement placed in its k-th slot.
    conn.execute(
        """
        insert into raw.absences
        with engagements as (
            select engagement_id, start_date,
                least(coalesce(end_date, date '2025-11-15'), date '2025-11-15') as last_day
            from raw.engagements
        ),
        slots as (
            select e.engagement_id, e.start_date, e.last_day, k,
                hash(e.engagement_id, k) as h
            from engagements e,
                 range(0, cast(greatest(1, (e.last_day - e.start_date) * 1.5 / 365) as bigint)) t(k)
        )
        select engagement_id || '_' || k, engagement_id,
            case when h % 10 = 0 then 'barn_syg' when h % 10 = 1 then 'delvis_sygdom'
                 else 'egen_sygdom' end,
            start_date + cast(k * 243 + (h // 3) % 200 as integer),
            case when (h // 5) % 200 = 0 then null
                 else start_date + cast(k * 243 + (h // 3) % 200 as integer)
                      + cast(case when (h // 7) % 10 < 6 then (h // 11) % 3
                                  when (h // 7) % 10 < 9 then 3 + (h // 11) % 20
                                  else 28 + (h // 11) % 60 end as integer) end,
            case when h % 10 = 1 then 10.0 end,
            (h // 13) % 50 = 0, 'bench', 0
        from slots
        where start_date + cast(k * 243 + (h // 3) % 200 as integer) <= last_day
        """
    )


def bench(employees: int, work_dir: Path) -> dict:
    database = empty_warehouse(work_dir / f"bench_{employees}.duckdb")
    with duckdb.connect(str(database)) as conn:
        rows = fill_raw(conn, employees)
    target = work_dir / f"target_{employees}"
    started = time.perf_counter()
    run_dbt("run", database=database, as_of=AS_OF, target_path=target, select=["+fct_sickness"])
    elapsed = time.perf_counter() - started
    with duckdb.connect(str(database)) as conn:  # dbt's in-process connection is read-write
        mart_rows = conn.execute("select count(*) from marts.fct_sickness").fetchall()[0][0]
    return {
        "employees": employees,
        **rows,
        "fct_sickness_rows": mart_rows,
        "build_seconds": round(elapsed, 1),
        "models": model_timings(target),
    }


if __name__ == "__main__":
    run_sizes(bench, sys.argv[1:], DEFAULT_SIZES, "sickness")
