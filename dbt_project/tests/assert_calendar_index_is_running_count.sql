-- ci_only: the calendar depends on the code alone, so `make test` proves it once for every build
-- (orchestration/assets/dbt.py, WAREHOUSE_BUILD_SKIPS).
{{ config(tags=['ci_only']) }}
-- working_day_idx grows by exactly one on each working day and stays put otherwise, starting at
-- 1970-01-01 (a Thursday, nytårsdag: idx 0), so idx(b) - idx(a - 1) counts working days.
with calendar as (
    select
        date_day,
        is_working_day,
        working_day_idx,
        lag(working_day_idx) over (order by date_day) as previous_idx,
        lag(date_day) over (order by date_day) as previous_day
    from {{ ref('int_calendar') }}
)

select *
from calendar
where (previous_idx is null and working_day_idx <> case when is_working_day then 1 else 0 end)
    or (previous_idx is not null and working_day_idx - previous_idx
        <> case when is_working_day then 1 else 0 end)
    or (previous_day is not null and date_day - previous_day <> 1)
