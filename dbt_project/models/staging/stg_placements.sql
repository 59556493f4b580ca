with source as (
    select * from {{ source('raw', 'placements') }}
),

final as (
    select
        cast(placement_id as varchar) as placement_id,
        cast(person_key as varchar) as person_key,
        cast(birth_date as date) as birth_date,
        cast(org_unit_id as varchar) as org_unit_id,
        cast(scheme as varchar) as scheme,
        cast(benefit_group as varchar) as benefit_group,
        cast(weekly_hours as double) as weekly_hours,
        cast(start_date as date) as start_date,
        cast(planned_end_date as date) as planned_end_date,
        cast(end_date as date) as end_date,
        cast(end_reason as varchar) as end_reason,
        cast(previous_placement_id as varchar) as previous_placement_id,
        _source_file,
        _row_number
    from source
    -- E4: a placement that starts after as_of is not observed yet.
    where start_date <= {{ as_of() }}
)

select * from final
