-- Danish working-day calendar 1970–2070 (DOMAIN.md §5) with a running working-day index, so the
-- working days of any interval [a, b] are idx(b) - idx(a - 1) without exploding rows per day.
with days as (
    select cast(range as date) as date_day
    from range(date '1970-01-01', date '2071-01-01', interval 1 day)
),

years as (
    select
        y as calendar_year,
        {{ easter_sunday('y') }} as easter_sunday
    from range(1970, 2071) as t(y)
),

holidays as (
    select make_date(cast(calendar_year as integer), 1, 1) as holiday_date, 'Nytårsdag' as holiday_name, 1 as sort_order from years
    union all select easter_sunday - 3, 'Skærtorsdag', 2 from years
    union all select easter_sunday - 2, 'Langfredag', 3 from years
    union all select easter_sunday, 'Påskedag', 4 from years
    union all select easter_sunday + 1, '2. påskedag', 5 from years
    -- Store bededag (4th Friday after Easter) was abolished from 2024.
    union all select easter_sunday + 26, 'Store bededag', 6 from years where calendar_year <= 2023
    union all select easter_sunday + 39, 'Kristi himmelfartsdag', 7 from years
    union all select easter_sunday + 49, 'Pinsedag', 8 from years
    union all select easter_sunday + 50, '2. pinsedag', 9 from years
    union all select make_date(cast(calendar_year as integer), 6, 5), 'Grundlovsdag', 10 from years
    union all select make_date(cast(calendar_year as integer), 12, 24), 'Juleaftensdag', 11 from years
    union all select make_date(cast(calendar_year as integer), 12, 25), '1. juledag', 12 from years
    union all select make_date(cast(calendar_year as integer), 12, 26), '2. juledag', 13 from years
    union all select make_date(cast(calendar_year as integer), 12, 31), 'Nytårsaftensdag', 14 from years
),

-- Two holidays can fall on one date (2. pinsedag on grundlovsdag, e.g. 2006): one name.
holiday_dates as (
    select
        holiday_date,
        string_agg(holiday_name, ' og ' order by sort_order) as holiday_name
    from holidays
    group by holiday_date
),

flags as (
    select
        days.date_day,
        cast(isodow(days.date_day) as integer) as iso_dow,
        holiday_dates.holiday_name is not null as is_holiday,
        holiday_dates.holiday_name
    from days
    left join holiday_dates on holiday_dates.holiday_date = days.date_day
),

final as (
    select
        date_day,
        cast(year(date_day) as integer) as calendar_year,
        cast(month(date_day) as integer) as calendar_month,
        iso_dow,
        iso_dow >= 6 as is_weekend,
        is_holiday,
        holiday_name,
        iso_dow <= 5 and not is_holiday as is_working_day,
        cast(
            sum(case when iso_dow <= 5 and not is_holiday then 1 else 0 end)
                over (order by date_day rows between unbounded preceding and current row)
            as integer
        ) as working_day_idx,
        cast(date_trunc('month', date_day) as date) as month_start,
        cast(last_day(date_day) as date) as month_end_natural,
        cast(date_trunc('quarter', date_day) as date) as quarter_start,
        cast(date_trunc('year', date_day) as date) as year_start
    from flags
)

select * from final
