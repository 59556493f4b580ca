-- Engagement × period for every period in which the engagement is active on at least one counted
-- day (E12: [count_start, count_end]); contracted hours = daily hours × working days of
-- (engagement ∩ counted days), from the working-day index. Also the source of `persons`.
with engagements as (
    select
        engagement_id,
        person_key,
        org_unit_id,
        staff_group,
        daily_hours,
        start_date,
        observed_end_date
    from {{ ref('int_engagements') }}
),

periods as (
    select period_type, period_start, period_end, count_start, count_end
    from {{ ref('int_periods') }}
),

calendar as (
    select date_day, working_day_idx from {{ ref('int_calendar') }}
),

period_overlaps as (
    select
        engagements.engagement_id,
        engagements.person_key,
        engagements.org_unit_id,
        engagements.staff_group,
        engagements.daily_hours,
        periods.period_type,
        periods.period_start,
        periods.period_end,
        greatest(engagements.start_date, periods.count_start) as active_from,
        least(engagements.observed_end_date, periods.count_end) as active_to
    from engagements
    inner join periods
        on engagements.start_date <= periods.count_end
        and engagements.observed_end_date >= periods.count_start
),

final as (
    select
        period_overlaps.engagement_id,
        period_overlaps.person_key,
        period_overlaps.org_unit_id,
        period_overlaps.staff_group,
        period_overlaps.period_type,
        period_overlaps.period_start,
        period_overlaps.period_end,
        period_overlaps.active_from,
        period_overlaps.active_to,
        last_day_idx.working_day_idx - day_before.working_day_idx as working_days,
        period_overlaps.daily_hours
        * (last_day_idx.working_day_idx - day_before.working_day_idx) as contracted_hours
    from period_overlaps
    inner join calendar as last_day_idx on last_day_idx.date_day = period_overlaps.active_to
    inner join calendar as day_before on day_before.date_day = period_overlaps.active_from - 1
)

select * from final
