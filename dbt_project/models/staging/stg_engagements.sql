with source as (
    select * from {{ source('raw', 'engagements') }}
),

final as (
    select
        cast(engagement_id as varchar) as engagement_id,
        cast(person_key as varchar) as person_key,
        cast(birth_date as date) as birth_date,
        cast(org_unit_id as varchar) as org_unit_id,
        cast(engagement_type as varchar) as engagement_type,
        cast(weekly_hours as double) as weekly_hours,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(end_reason as varchar) as end_reason,
        cast(union_area as varchar) as union_area,
        cast(job_title as varchar) as job_title,
        _source_file,
        _row_number
    from source
    -- E4: an engagement that starts after as_of is not observed yet.
    where start_date <= {{ as_of() }}
)

select * from final
