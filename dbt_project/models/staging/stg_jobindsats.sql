-- A plain pass-through: ingest already normalised and de-duplicated the extracts (§5.7).
with source as (
    select * from {{ source('raw', 'jobindsats') }}
),

final as (
    select
        cast(table_id as varchar) as table_id,
        cast(measure as varchar) as measure,
        cast(area_name as varchar) as area_name,
        cast(municipality_code as varchar) as municipality_code,
        cast(area_level as varchar) as area_level,
        cast(period_code as varchar) as period_code,
        cast(period_type as varchar) as period_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(dimensions as varchar) as dimensions,
        cast(value as double) as value,
        cast(suppressed as boolean) as suppressed,
        cast(source_file as varchar) as source_file
    from source
)

select * from final
