-- Engagement × period for every period in which the engagement is active on at least one counted
-- day (E12: [count_start, count_end]); contracted hours = daily hours × working days of
-- (engagement ∩ counted days), from the working-day index. Also the source of `persons`, by
-- person_id (int_engagements): the 64-character person_key is not needed here.
with engagements as (
    select
        engagement_id,
        person_id,
        org_unit_id,
        staff_group,
        daily_hours,
        start_date,
        observed_end_date
    from {{ ref('int_engagements') }}
),

parts as (
    {{ interval_period_parts(
        'engagements', 'start_date', 'observed_end_date',
        ['engagement_id', 'person_id', 'org_unit_id', 'staff_group', 'daily_hours']
    ) }}
),

final as (
    select
        engagement_id,
        person_id,
        org_unit_id,
        staff_group,
        period_type,
        period_start,
        period_end,
        part_from as active_from,
        part_to as active_to,
        working_days,
        daily_hours * working_days as contracted_hours
    from parts
)

select * from final
