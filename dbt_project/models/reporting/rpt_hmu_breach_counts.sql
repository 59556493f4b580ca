-- Placements with a rule breach per quarter and year of the window and breach type (judged on
-- the start date, docs/domain.md §5.3), for the hmu report's breach table and its comparison
-- with the previous period. Every period has a row per breach type (0 when none);
-- period_placements counts each placement once however many types it breaks.
with periods as (
    select period_type, period_start, period_end, period_label, count_start
    from {{ ref('int_periods') }}
    where period_type in ('quarter', 'year')
),

types as (
    select code as breach_type, sort_order
    from {{ ref('code_labels') }}
    where code_list = 'breach_type'
),

breaches as (
    select distinct placement_id, start_date, breach_type from {{ ref('fct_quota_breaches') }}
),

by_type as (
    select
        periods.period_type,
        periods.period_start,
        breaches.breach_type,
        count(distinct breaches.placement_id) as placements
    from periods
    inner join breaches on breaches.start_date between periods.period_start and periods.period_end
    group by all
),

by_period as (
    select
        periods.period_type,
        periods.period_start,
        count(distinct breaches.placement_id) as period_placements
    from periods
    inner join breaches on breaches.start_date between periods.period_start and periods.period_end
    group by all
),

final as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.period_label,
        periods.count_start > periods.period_start as cut_by_window,
        types.breach_type,
        types.sort_order,
        coalesce(by_type.placements, 0) as placements,
        coalesce(by_period.period_placements, 0) as period_placements
    from periods
    cross join types
    left join by_type
        on by_type.period_type = periods.period_type
        and by_type.period_start = periods.period_start
        and by_type.breach_type = types.breach_type
    left join by_period
        on by_period.period_type = periods.period_type
        and by_period.period_start = periods.period_start
)

select * from final
