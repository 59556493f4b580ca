-- ci_only: the calendar depends on the code alone, so `make test` proves it once for every build
-- (orchestration/assets/dbt.py, WAREHOUSE_BUILD_SKIPS).
{{ config(tags=['ci_only']) }}
-- Every year has its 13 or 14 holidays (14 up to 2023 with store bededag; 13 from 2024), each
-- fixed-date one on its date; fewer means the Easter computus or a rule went wrong.
with holidays as (
    select
        calendar_year,
        sum(len(string_split(holiday_name, ' og '))) as n_holidays,
        count(*) filter (
            where strftime(date_day, '%m-%d') in ('01-01', '06-05', '12-24', '12-25', '12-26', '12-31')
        ) as n_fixed
    from {{ ref('int_calendar') }}
    where is_holiday
    group by calendar_year
)

select *
from holidays
where n_holidays <> case when calendar_year <= 2023 then 14 else 13 end
    or n_fixed <> 6
