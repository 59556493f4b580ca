-- Sickness spells (causes in sickness.causes) on their engagement: the sick interval is the spell
-- ∩ the engagement, cut at as_of (E4/E15), with its working days from the working-day index, the
-- hours per sick working day and the spell's band. One row per spell, no row per day.
with build as (
    select as_of from {{ ref('int_build') }}
),

sickness_causes as (
    select code as cause
    from {{ ref('stg_rules_code_sets') }}
    where rule_set = 'sickness_causes'
),

bands as (
    select band, min_days, max_days from {{ ref('stg_rules_sickness_bands') }}
),

calendar as (
    select date_day, working_day_idx from {{ ref('int_calendar') }}
),

spells as (
    select absences.*
    from {{ ref('stg_absences') }} as absences
    where absences.cause in (select sickness_causes.cause from sickness_causes)
),

engagements as (
    select
        engagement_id,
        person_id,
        org_unit_id,
        engagement_type,
        staff_group,
        daily_hours,
        start_date,
        end_date
    from {{ ref('int_engagements') }}
),

on_engagement as (
    select
        spells.absence_id,
        spells.engagement_id,
        engagements.person_id,
        engagements.org_unit_id,
        engagements.engagement_type,
        engagements.staff_group,
        spells.cause,
        spells.s56,
        spells.from_date,
        spells.to_date,
        spells.hours,
        engagements.daily_hours,
        -- E15: only a spell whose to_date is observed (≤ as_of) has ended; E4: a later to_date
        -- is open at as_of.
        coalesce(spells.to_date <= build.as_of, false) as is_ended,
        greatest(spells.from_date, engagements.start_date) as sick_from,
        least(
            coalesce(spells.to_date, build.as_of),
            build.as_of,
            coalesce(engagements.end_date, build.as_of)
        ) as sick_to
    from spells
    inner join engagements on engagements.engagement_id = spells.engagement_id
    cross join build
),

with_working_days as (
    select
        on_engagement.*,
        case
            when on_engagement.sick_from <= on_engagement.sick_to
                then sick_to_day.working_day_idx - day_before.working_day_idx
            else 0
        end as sick_working_days
    from on_engagement
    left join calendar as sick_to_day on sick_to_day.date_day = on_engagement.sick_to
    left join calendar as day_before on day_before.date_day = on_engagement.sick_from - 1
),

final as (
    select
        spell.absence_id,
        spell.engagement_id,
        spell.person_id,
        spell.org_unit_id,
        spell.engagement_type,
        spell.staff_group,
        spell.cause,
        spell.s56,
        spell.from_date,
        spell.to_date,
        spell.hours,
        spell.daily_hours,
        spell.is_ended,
        spell.sick_from,
        spell.sick_to,
        spell.sick_working_days,
        -- `hours` is spread evenly over the spell's working days inside the engagement (up to
        -- as_of for an open spell, E15); without hours every working day counts daily hours.
        case
            when spell.hours is null then spell.daily_hours
            else spell.hours / nullif(spell.sick_working_days, 0)
        end as hours_per_working_day,
        case when spell.is_ended then spell.to_date - spell.from_date + 1 end as calendar_days,
        bands.band
    from with_working_days as spell
    left join bands
        on spell.is_ended
        and spell.to_date - spell.from_date + 1 >= bands.min_days
        and (bands.max_days is null or spell.to_date - spell.from_date + 1 <= bands.max_days)
)

select * from final
