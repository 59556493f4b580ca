with source as (
    select * from {{ source('raw', 'rules_sickness_bands') }}
),

final as (
    select
        cast(band as varchar) as band,
        cast(min_days as integer) as min_days,
        cast(max_days as integer) as max_days
    from source
)

select * from final
