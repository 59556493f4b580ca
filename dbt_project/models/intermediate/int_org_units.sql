-- Every org unit with its place in the hierarchy and its workplace (E5, E6): the nearest unit at
-- or above it that has a P-number (a nested P-number unit is its own workplace); null when none.
with units as (
    select * from {{ ref('stg_org_units') }}
),

ancestors as (
    select * from {{ ref('int_org_unit_ancestors') }}
),

ancestors_with_units as (
    select
        ancestors.org_unit_id,
        ancestors.ancestor_id,
        ancestors.depth,
        units.p_number as ancestor_p_number,
        units.parent_id as ancestor_parent_id
    from ancestors
    inner join units on units.org_unit_id = ancestors.ancestor_id
),

hierarchy as (
    select
        org_unit_id,
        max(depth) as level,
        arg_max(ancestor_id, depth) as root_id,
        string_agg(ancestor_id, '/' order by depth desc) as path,
        arg_min(ancestor_id, depth) filter (where ancestor_p_number is not null) as workplace_id,
        -- Only a root has no parent; a walk that never reached one was cut by a cycle.
        bool_or(ancestor_parent_id is null) as reaches_root
    from ancestors_with_units
    group by org_unit_id
),

final as (
    select
        units.org_unit_id,
        units.name,
        units.parent_id,
        units.p_number,
        units.workplace_type,
        units.area,
        units.inclusion_approved_from,
        units.inclusion_approved_to,
        hierarchy.workplace_id,
        cast(hierarchy.level as integer) as level,
        hierarchy.path,
        hierarchy.root_id,
        units.p_number is not null as is_workplace,
        hierarchy.reaches_root,
        units._source_file,
        units._row_number
    from units
    inner join hierarchy on hierarchy.org_unit_id = units.org_unit_id
)

select * from final
