with source as (
    select * from {{ source('raw', 'rules_statutory_ratio') }}
),

final as (
    select
        cast(name as varchar) as name,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        cast(basis as varchar) as basis,
        cast(source as varchar) as source
    from source
)

select * from final
