-- The org hierarchy with each unit's workplace, level and path (docs/domain.md §5.1, E5, E6).
with org_units as (
    select * from {{ ref('int_org_units') }}
),

final as (
    select
        org_unit_id,
        name,
        parent_id,
        p_number,
        workplace_type,
        area,
        workplace_id,
        level,
        path
    from org_units
)

select * from final
