with source as (
    select * from {{ ref('kommune_aliases') }}
),

final as (
    select
        cast(alias as varchar) as alias,
        cast(municipality_code as varchar) as municipality_code
    from source
)

select * from final
