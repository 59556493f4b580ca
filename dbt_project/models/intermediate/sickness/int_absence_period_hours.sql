-- Sickness spell × period: the absence hours on the working days of (sick interval ∩ counted
-- days of the period), i.e. working days × hours per sick working day. Only rows with absence.
with spells as (
    select
        absence_id,
        person_key,
        org_unit_id,
        staff_group,
        s56,
        sick_from,
        sick_to,
        hours_per_working_day
    from {{ ref('int_absence_spells') }}
    where sick_working_days > 0
),

periods as (
    select period_type, period_start, count_start, count_end from {{ ref('int_periods') }}
),

calendar as (
    select date_day, working_day_idx from {{ ref('int_calendar') }}
),

period_overlaps as (
    select
        spells.absence_id,
        spells.person_key,
        spells.org_unit_id,
        spells.staff_group,
        spells.s56,
        spells.hours_per_working_day,
        periods.period_type,
        periods.period_start,
        greatest(spells.sick_from, periods.count_start) as sick_from,
        least(spells.sick_to, periods.count_end) as sick_to
    from spells
    inner join periods
        on spells.sick_from <= periods.count_end
        and spells.sick_to >= periods.count_start
),

with_working_days as (
    select
        period_overlaps.*,
        last_day_idx.working_day_idx - day_before.working_day_idx as working_days
    from period_overlaps
    inner join calendar as last_day_idx on last_day_idx.date_day = period_overlaps.sick_to
    inner join calendar as day_before on day_before.date_day = period_overlaps.sick_from - 1
),

final as (
    select
        absence_id,
        person_key,
        org_unit_id,
        staff_group,
        s56,
        period_type,
        period_start,
        working_days,
        working_days * hours_per_working_day as absence_hours
    from with_working_days
    where working_days > 0
)

select * from final
