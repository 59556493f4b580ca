-- Placement outcomes for the jobcenter report: ended placements whose follow-up is complete
-- (fct_placement_outcomes.window_complete), by the month, quarter and year of their end date,
-- in total, per scheme and per benefit group (docs/domain.md §5.5), with the distinct persons
-- behind each figure for disclosure control and, on the total rows, fct_kpi's target for
-- placement_employment_pct. Every period has a total row (0 placements when none); scheme and
-- benefit group rows exist only with at least one placement. A null benefit group is its own
-- group (group_code null).
with periods as (
    select period_type, period_start, period_end, period_label from {{ ref('int_periods') }}
),

outcomes as (
    select person_key, scheme, benefit_group, end_date, employed_after, days_to_employment
    from {{ ref('fct_placement_outcomes') }}
    where window_complete
),

in_periods as (
    select
        periods.period_type,
        periods.period_start,
        outcomes.*
    from outcomes
    inner join periods on periods.period_start = date_trunc(periods.period_type, outcomes.end_date)
),

long as (
    select period_type, period_start, 'total' as breakdown, cast(null as varchar) as group_code,
        person_key, employed_after, days_to_employment
    from in_periods
    union all
    select period_type, period_start, 'scheme', scheme,
        person_key, employed_after, days_to_employment
    from in_periods
    union all
    select period_type, period_start, 'benefit_group', benefit_group,
        person_key, employed_after, days_to_employment
    from in_periods
),

grouped as (
    select
        period_type,
        period_start,
        breakdown,
        group_code,
        count(*) as placements,
        count(*) filter (where employed_after) as employed,
        median(days_to_employment) filter (where employed_after) as median_days_to_employment,
        count(distinct person_key) as persons,
        count(distinct person_key) filter (where employed_after) as persons_employed
    from long
    group by period_type, period_start, breakdown, group_code
),

totals as (
    select periods.*, 'total' as breakdown, cast(null as varchar) as group_code
    from periods
),

groups as (
    select periods.*, grouped.breakdown, grouped.group_code
    from periods
    inner join grouped
        on grouped.period_type = periods.period_type
        and grouped.period_start = periods.period_start
    where grouped.breakdown <> 'total'
),

targets as (
    select period_type, period_start, target_value, direction as target_direction, target_met
    from {{ ref('fct_kpi') }}
    where kpi = 'placement_employment_pct' and scope_type = 'kommune'
),

final as (
    select
        rows_.period_type,
        rows_.period_start,
        rows_.period_end,
        rows_.period_label,
        rows_.breakdown,
        rows_.group_code,
        cast(coalesce(grouped.placements, 0) as integer) as placements,
        cast(coalesce(grouped.employed, 0) as integer) as employed,
        100.0 * grouped.employed / nullif(grouped.placements, 0) as employed_pct,
        cast(grouped.median_days_to_employment as double) as median_days_to_employment,
        cast(coalesce(grouped.persons, 0) as integer) as persons,
        cast(coalesce(grouped.persons_employed, 0) as integer) as persons_employed,
        targets.target_value,
        targets.target_direction,
        targets.target_met
    from (select * from totals union all select * from groups) as rows_
    left join grouped
        on grouped.period_type = rows_.period_type
        and grouped.period_start = rows_.period_start
        and grouped.breakdown = rows_.breakdown
        and grouped.group_code is not distinct from rows_.group_code
    left join targets
        on rows_.breakdown = 'total'
        and targets.period_type = rows_.period_type
        and targets.period_start = rows_.period_start
)

select * from final
