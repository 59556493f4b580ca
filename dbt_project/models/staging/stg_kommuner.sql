with source as (
    select * from {{ ref('kommuner') }}
),

final as (
    select
        cast(municipality_code as varchar) as municipality_code,
        cast(name as varchar) as name,
        cast(jobindsats_name as varchar) as jobindsats_name,
        cast(region_code as varchar) as region_code,
        cast(region_name as varchar) as region_name
    from source
)

select * from final
