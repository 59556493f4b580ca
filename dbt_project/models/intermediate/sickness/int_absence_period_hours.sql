-- Sickness spell × period: the absence hours on the working days of (sick interval ∩ counted
-- days of the period), i.e. working days × hours per sick working day. Only rows with absence.
with spells as (
    select
        absence_id,
        person_id,
        org_unit_id,
        staff_group,
        s56,
        sick_from,
        sick_to,
        hours_per_working_day
    from {{ ref('int_absence_spells') }}
    where sick_working_days > 0
),

parts as (
    {{ interval_period_parts(
        'spells', 'sick_from', 'sick_to',
        ['absence_id', 'person_id', 'org_unit_id', 'staff_group', 's56', 'hours_per_working_day']
    ) }}
),

final as (
    select
        absence_id,
        person_id,
        org_unit_id,
        staff_group,
        s56,
        period_type,
        period_start,
        working_days,
        working_days * hours_per_working_day as absence_hours
    from parts
    where working_days > 0
)

select * from final
