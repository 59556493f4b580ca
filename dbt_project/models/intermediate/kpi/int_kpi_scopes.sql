-- The scopes fct_kpi reports on (docs/domain.md §5.8, E22): the municipality (scope kommune,
-- scope_id = municipality_code, anchored at the root unit) and each area = each unit directly
-- below the root (scope area, scope_id = its org_unit_id). `anchor_unit_id` is the unit whose
-- subtree the scope covers.
with build as (
    select municipality_code from {{ ref('int_build') }}
),

org_units as (
    select * from {{ ref('int_org_units') }}
),

-- A parent that ingest nulled (unknown parent, or a cycle: E1a) makes a root that was not
-- delivered as one; the municipality's root is the unit delivered with an empty parent_id.
nulled_parents as (
    select file_name, row_number
    from {{ source('audit', 'quarantine') }}
    where register = 'org_units'
        and column_name = 'parent_id'
        and reason in ('dangling_reference', 'parent_cycle')
),

roots as (
    select
        org_units.org_unit_id,
        org_units.name,
        exists (
            select 1 from nulled_parents
            where nulled_parents.file_name = org_units._source_file
                and nulled_parents.row_number = org_units._row_number
        ) as parent_was_nulled,
        (
            select count(*) from org_units as below
            where below.root_id = org_units.org_unit_id
        ) as units_below
    from org_units
    where org_units.parent_id is null and org_units.reaches_root
),

-- Several delivered roots cannot happen in a well-formed hierarchy; then the biggest wins.
municipality_root as (
    select org_unit_id, name
    from roots
    order by parent_was_nulled, units_below desc, org_unit_id
    limit 1
),

kommune as (
    select
        'kommune' as scope_type,
        build.municipality_code as scope_id,
        municipality_root.name as scope_name,
        municipality_root.org_unit_id as anchor_unit_id
    from build
    left join municipality_root on true
),

areas as (
    select
        'area' as scope_type,
        org_units.org_unit_id as scope_id,
        coalesce(org_units.area, org_units.name) as scope_name,
        org_units.org_unit_id as anchor_unit_id
    from org_units
    inner join municipality_root on org_units.parent_id = municipality_root.org_unit_id
),

scopes as (
    select * from kommune
    union all
    select * from areas
),

final as (
    select
        scopes.scope_type,
        scopes.scope_id,
        scopes.scope_name,
        scopes.anchor_unit_id,
        -- An area target names the area by its unit's org_unit_id, name or `area` value.
        case when scopes.scope_type = 'area' then org_units.name end as unit_name,
        case when scopes.scope_type = 'area' then org_units.area end as area_name
    from scopes
    left join org_units on org_units.org_unit_id = scopes.anchor_unit_id
)

select * from final
