-- The months of the reporting window; in as_of's month the snapshot day (month_end) is as_of.
with build as (
    select * from {{ ref('int_build') }}
),

months as (
    select
        cast(
            unnest(
                generate_series(
                    cast(build.window_start as timestamp),
                    cast(date_trunc('month', build.as_of) as timestamp),
                    interval 1 month
                )
            ) as date
        ) as month_start
    from build
),

final as (
    select
        months.month_start,
        least(cast(last_day(months.month_start) as date), build.as_of) as month_end,
        cast(last_day(months.month_start) as date) as month_end_natural,
        months.month_start = cast(date_trunc('month', build.as_of) as date) as is_as_of_month
    from months
    cross join build
)

select * from final
