-- Which org units each KPI scope covers: the municipality every unit it has delivered (also a
-- unit whose parent was unknown: its staff and placements are still the municipality's), an area
-- the units of its subtree.
with scopes as (
    select * from {{ ref('int_kpi_scopes') }}
),

org_units as (
    select org_unit_id from {{ ref('int_org_units') }}
),

ancestors as (
    select org_unit_id, ancestor_id from {{ ref('int_org_unit_ancestors') }}
),

kommune_units as (
    select
        scopes.scope_type,
        scopes.scope_id,
        org_units.org_unit_id
    from scopes
    cross join org_units
    where scopes.scope_type = 'kommune'
),

area_units as (
    select
        scopes.scope_type,
        scopes.scope_id,
        ancestors.org_unit_id
    from scopes
    inner join ancestors on ancestors.ancestor_id = scopes.anchor_unit_id
    where scopes.scope_type = 'area'
),

final as (
    select * from kommune_units
    union all
    select * from area_units
)

select * from final
