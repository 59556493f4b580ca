with source as (
    select * from {{ source('raw', 'absences') }}
),

final as (
    select
        cast(absence_id as varchar) as absence_id,
        cast(engagement_id as varchar) as engagement_id,
        cast(cause as varchar) as cause,
        cast(from_date as date) as from_date,
        cast(to_date as date) as to_date,
        cast(hours as double) as hours,
        -- E13: an empty s56 is false.
        coalesce(cast(s56 as boolean), false) as s56,
        _source_file,
        _row_number
    from source
    -- E4: a spell that starts after as_of is not observed yet.
    where from_date <= {{ as_of() }}
)

select * from final
