-- Danish working-day calendar 1970–2070 (docs/domain.md §5) with a running working-day index, so the
-- working days of any interval [a, b] are idx(b) - idx(a - 1) without exploding rows per day.
-- The span is a var only so unit tests can build a few days; the index counts from its start.
{%- set span_start = var('calendar_start', '1970-01-01') %}
{%- set span_end = var('calendar_end', '2070-12-31') %}
with days as (
    select cast(range as date) as date_day
    from range(date '{{ span_start }}', date '{{ span_end }}' + interval 1 day, interval 1 day)
),

years as (
    select
        y as calendar_year,
        {{ easter_sunday('y') }} as easter_sunday
    from range(year(date '{{ span_start }}'), year(date '{{ span_end }}') + 1) as t(y)
),

-- Each holiday is either a fixed day of the year or a day relative to Easter Sunday. Påskedag
-- and pinsedag are Sundays (no working day lost) but are listed as the holidays they are.
holiday_rules as (
    select *
    from (
        values
            (1, 'Nytårsdag', null, 1, 1, null),
            (2, 'Skærtorsdag', -3, null, null, null),
            (3, 'Langfredag', -2, null, null, null),
            (4, 'Påskedag', 0, null, null, null),
            (5, '2. påskedag', 1, null, null, null),
            -- Store bededag (4th Friday after Easter) was abolished from 2024.
            (6, 'Store bededag', 26, null, null, 2023),
            (7, 'Kristi himmelfartsdag', 39, null, null, null),
            (8, 'Pinsedag', 49, null, null, null),
            (9, '2. pinsedag', 50, null, null, null),
            (10, 'Grundlovsdag', null, 6, 5, null),
            (11, 'Juleaftensdag', null, 12, 24, null),
            (12, '1. juledag', null, 12, 25, null),
            (13, '2. juledag', null, 12, 26, null),
            (14, 'Nytårsaftensdag', null, 12, 31, null)
    ) as t (sort_order, holiday_name, easter_offset, fixed_month, fixed_day, last_year)
),

holidays as (
    select
        case
            when holiday_rules.easter_offset is not null
                then cast(years.easter_sunday + cast(holiday_rules.easter_offset as integer) as date)
            else make_date(
                cast(years.calendar_year as integer),
                cast(holiday_rules.fixed_month as integer),
                cast(holiday_rules.fixed_day as integer)
            )
        end as holiday_date,
        holiday_rules.holiday_name,
        holiday_rules.sort_order
    from years
    inner join holiday_rules
        on years.calendar_year <= coalesce(holiday_rules.last_year, years.calendar_year)
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
