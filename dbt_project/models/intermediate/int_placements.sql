-- Placements with their workplace, FTE (E8: null weekly_hours counts as full time) and 18th
-- birthday.
with placements as (
    select * from {{ ref('stg_placements') }}
),

org_units as (
    select org_unit_id, workplace_id from {{ ref('int_org_units') }}
),

build as (
    select as_of, full_time_hours from {{ ref('int_build') }}
),

final as (
    select
        placements.*,
        org_units.workplace_id,
        coalesce(placements.weekly_hours / build.full_time_hours, 1.0) as fte,
        placements.weekly_hours is null as weekly_hours_missing,
        {{ birthday_at_age('placements.birth_date', 18) }} as date_18,
        -- Every computation stops at as_of (E4).
        {{ observed_end("placements.end_date", "build.as_of") }} as observed_end_date
    from placements
    cross join build
    left join org_units on org_units.org_unit_id = placements.org_unit_id
)

select * from final
