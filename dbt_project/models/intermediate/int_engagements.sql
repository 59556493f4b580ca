-- Engagements with their workplace, FTE, daily hours, staff group (docs/domain.md §2) and 18th
-- birthday (E8), and person_id: a dense integer per person for the person-level joins and
-- distinct counts of the sickness models (8 bytes instead of the 64-character person_key, which
-- at 1 000 000 employees made their hash tables spill tens of GB).
with engagements as (
    select * from {{ ref('stg_engagements') }}
),

org_units as (
    select org_unit_id, workplace_id from {{ ref('int_org_units') }}
),

build as (
    select as_of, full_time_hours from {{ ref('int_build') }}
),

final as (
    select
        engagements.*,
        dense_rank() over (order by engagements.person_key) as person_id,
        org_units.workplace_id,
        engagements.weekly_hours / build.full_time_hours as fte,
        engagements.weekly_hours / 5.0 as daily_hours,
        case
            when engagements.engagement_type in ('ordinaer', 'elev') then 'ordinaere'
            when engagements.engagement_type in (
                'fleksjob', 'fleksjob_foer_2013', 'loentilskud', 'skaanejob',
                'saerlige_vilkaar', 'seniorjob'
            ) then 'inklusion'
        end as staff_group,
        {{ birthday_at_age('engagements.birth_date', 18) }} as date_18,
        -- Every computation stops at as_of (E4).
        {{ observed_end("engagements.end_date", "build.as_of") }} as observed_end_date
    from engagements
    cross join build
    left join org_units on org_units.org_unit_id = engagements.org_unit_id
)

select * from final
