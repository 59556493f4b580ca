-- The workplace is a unit with a P-number at or above the unit, and no unit with a P-number lies
-- strictly between them (E6); a null workplace means no P-number unit above at all (E5).
with units as (
    select * from {{ ref('int_org_units') }}
),

ancestors as (
    select
        ancestors.org_unit_id,
        ancestors.ancestor_id,
        ancestors.depth
    from {{ ref('int_org_unit_ancestors') }} as ancestors
    inner join units as ancestor_unit
        on ancestor_unit.org_unit_id = ancestors.ancestor_id
        and ancestor_unit.p_number is not null
),

nearest as (
    select org_unit_id, arg_min(ancestor_id, depth) as expected_workplace_id
    from ancestors
    group by org_unit_id
)

select units.org_unit_id, units.workplace_id, nearest.expected_workplace_id
from units
left join nearest on nearest.org_unit_id = units.org_unit_id
where units.workplace_id is distinct from nearest.expected_workplace_id
