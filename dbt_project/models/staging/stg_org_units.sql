with source as (
    select * from {{ source('raw', 'org_units') }}
),

final as (
    select
        cast(org_unit_id as varchar) as org_unit_id,
        cast(name as varchar) as name,
        cast(parent_id as varchar) as parent_id,
        cast(p_number as varchar) as p_number,
        cast(workplace_type as varchar) as workplace_type,
        cast(area as varchar) as area,
        cast(inclusion_approved_from as date) as inclusion_approved_from,
        cast(inclusion_approved_to as date) as inclusion_approved_to,
        _source_file,
        _row_number
    from source
)

select * from final
