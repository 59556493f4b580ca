-- Retention for the jobcenter report: cohort engagements of fct_retention whose 26 weeks are
-- complete (window_complete), by the month, quarter and year in which they started (the
-- cohort period; docs/domain.md §5.5), with the distinct persons behind each figure for
-- disclosure control and fct_kpi's target for retention_13_26_pct. Every period of the window
-- has a row (0 engagements when none).
with periods as (
    select period_type, period_start, period_end, period_label from {{ ref('int_periods') }}
),

complete as (
    select person_key, start_date, retained_13_of_26
    from {{ ref('fct_retention') }}
    where window_complete
),

grouped as (
    select
        periods.period_type,
        periods.period_start,
        count(*) as engagements,
        count(*) filter (where complete.retained_13_of_26) as retained,
        count(distinct complete.person_key) as persons
    from complete
    inner join periods on periods.period_start = date_trunc(periods.period_type, complete.start_date)
    group by periods.period_type, periods.period_start
),

targets as (
    select period_type, period_start, target_value, direction as target_direction, target_met
    from {{ ref('fct_kpi') }}
    where kpi = 'retention_13_26_pct' and scope_type = 'kommune'
),

final as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.period_label,
        cast(coalesce(grouped.engagements, 0) as integer) as engagements,
        cast(coalesce(grouped.retained, 0) as integer) as retained,
        100.0 * grouped.retained / nullif(grouped.engagements, 0) as retained_pct,
        cast(coalesce(grouped.persons, 0) as integer) as persons,
        targets.target_value,
        targets.target_direction,
        targets.target_met
    from periods
    left join grouped
        on grouped.period_type = periods.period_type
        and grouped.period_start = periods.period_start
    left join targets
        on targets.period_type = periods.period_type
        and targets.period_start = periods.period_start
)

select * from final
