-- Every unit × each unit at or above it (depth 0 = the unit itself), walked upwards from every
-- unit so subtree roll-ups are a join. The walk stops at a root (parent_id null; E1a: ingest
-- nulls unknown parents) and never revisits a unit, so a cycle in the data cannot hang the build.
with recursive units as (
    select org_unit_id, parent_id from {{ ref('stg_org_units') }}
),

chain (org_unit_id, ancestor_id, ancestor_parent_id, depth, visited) as (
    select
        org_unit_id,
        org_unit_id,
        parent_id,
        0,
        [org_unit_id]
    from units

    union all

    select
        chain.org_unit_id,
        parent.org_unit_id,
        parent.parent_id,
        chain.depth + 1,
        list_append(chain.visited, parent.org_unit_id)
    from chain
    inner join units as parent on parent.org_unit_id = chain.ancestor_parent_id
    where not list_contains(chain.visited, parent.org_unit_id)
),

final as (
    select
        org_unit_id,
        ancestor_id,
        cast(depth as integer) as depth
    from chain
)

select * from final
