-- A unit's path is its parent's path plus its own id, and its level is the parent's plus one;
-- a root's path is its own id at level 0 (E6). Units in a parent cycle are excluded (warned on
-- separately through int_org_units.reaches_root).
with units as (
    select * from {{ ref('int_org_units') }} where reaches_root
)

select child.org_unit_id, child.path, child.level, parent.path as parent_path
from units as child
left join units as parent on parent.org_unit_id = child.parent_id
where (child.parent_id is null and (child.path <> child.org_unit_id or child.level <> 0))
    or (child.parent_id is not null and (
        parent.org_unit_id is null
        or child.path <> parent.path || '/' || child.org_unit_id
        or child.level <> parent.level + 1
    ))
