with source as (
    select * from {{ source('raw', 'sdp_cases') }}
),

final as (
    select
        cast(case_id as varchar) as case_id,
        cast(person_key as varchar) as person_key,
        cast(birth_date as date) as birth_date,
        cast(first_absence_date as date) as first_absence_date,
        cast(employment_status as varchar) as employment_status,
        cast(case_end_date as date) as case_end_date,
        cast(end_reason as varchar) as end_reason,
        cast(fast_track_requested_date as date) as fast_track_requested_date,
        _source_file,
        _row_number
    from source
    -- E4: a case whose first absence day is after as_of is not observed yet.
    where first_absence_date <= {{ as_of() }}
)

select * from final
