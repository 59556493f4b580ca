-- Month, quarter and year periods overlapping the reporting window [window_start, as_of]; the
-- counted days of a period are [count_start, count_end] (E12: cut by the window and by as_of).
with build as (
    select * from {{ ref('int_build') }}
),

period_types as (
    select * from (values ('month', 1), ('quarter', 3), ('year', 12)) as t(period_type, months)
),

starts as (
    select
        period_types.period_type,
        period_types.months,
        cast(
            unnest(
                generate_series(
                    cast(date_trunc(period_types.period_type, build.window_start) as timestamp),
                    cast(date_trunc(period_types.period_type, build.as_of) as timestamp),
                    to_months(period_types.months)
                )
            ) as date
        ) as period_start
    from build
    cross join period_types
),

final as (
    select
        starts.period_type,
        starts.period_start,
        least({{ add_months_clamped('starts.period_start', 'starts.months') }} - 1, build.as_of)
            as period_end,
        cast({{ add_months_clamped('starts.period_start', 'starts.months') }} - 1 as date)
            as period_end_natural,
        greatest(starts.period_start, build.window_start) as count_start,
        least({{ add_months_clamped('starts.period_start', 'starts.months') }} - 1, build.as_of)
            as count_end,
        case starts.period_type
            when 'month' then strftime(starts.period_start, '%Y-%m')
            when 'quarter'
                then strftime(starts.period_start, '%Y') || 'Q' || quarter(starts.period_start)
            else strftime(starts.period_start, '%Y')
        end as period_label
    from starts
    cross join build
)

select * from final
