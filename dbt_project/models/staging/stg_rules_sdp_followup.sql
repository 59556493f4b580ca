with source as (
    select * from {{ source('raw', 'rules_sdp_followup') }}
),

final as (
    select
        cast(name as varchar) as name,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        cast(first_due_days as integer) as first_due_days,
        cast(fast_track_days as integer) as fast_track_days,
        cast(then_count as integer) as then_count,
        cast(then_within_days as integer) as then_within_days,
        cast(then_interval_days as integer) as then_interval_days,
        cast(source as varchar) as source
    from source
)

select * from final
