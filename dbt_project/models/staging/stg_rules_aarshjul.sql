-- The HMU's annual wheel (rules.yml `aarshjul`): month → topic of that month's meeting.
with source as (
    select * from {{ source('raw', 'rules_aarshjul') }}
),

final as (
    select
        cast(month as integer) as month,
        cast(topic as varchar) as topic
    from source
)

select * from final
