with source as (
    select * from {{ source('raw', 'sdp_events') }}
),

final as (
    select
        cast(event_id as varchar) as event_id,
        cast(case_id as varchar) as case_id,
        cast(event_date as date) as event_date,
        cast(event_type as varchar) as event_type,
        cast(category as integer) as category,
        cast(status as varchar) as status,
        _source_file,
        _row_number
    from source
    -- E4: an event dated after as_of is not observed yet.
    where event_date <= {{ as_of() }}
)

select * from final
