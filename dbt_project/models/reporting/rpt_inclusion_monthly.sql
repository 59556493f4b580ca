-- Extraordinary placements per month_end, broken down three ways for the inklusion report:
-- by scheme, by the workplace's type and by the workplace's area (docs/domain.md §5.2). Sums of
-- active_persons over mart rows: a person with two concurrent placements counts in each.
-- A placement at a unit without a workplace falls back to its own unit's type/area; with
-- neither, the group is null ("Uden arbejdssted" in the report).
with placements as (
    select * from {{ ref('fct_placements_monthly') }}
),

units as (
    select org_unit_id, workplace_type, area from {{ ref('dim_org_unit') }}
),

build as (
    select as_of from {{ ref('int_build') }}
),

placed as (
    select
        placements.*,
        case when placements.workplace_id is null and own.workplace_type is null then null
            else coalesce(workplace.workplace_type, own.workplace_type, '') end as workplace_type,
        case when placements.workplace_id is null and own.area is null then null
            else coalesce(workplace.area, own.area, '') end as area
    from placements
    left join units as own on own.org_unit_id = placements.org_unit_id
    left join units as workplace on workplace.org_unit_id = placements.workplace_id
),

long as (
    select month_end, 'scheme' as breakdown, scheme as group_code,
        active_persons, active_fte, starts, ends
    from placed
    union all
    select month_end, 'workplace_type', workplace_type, active_persons, active_fte, 0, 0
    from placed
    union all
    select month_end, 'area', area, active_persons, active_fte, 0, 0
    from placed
),

final as (
    select
        long.month_end,
        long.breakdown,
        long.group_code,
        cast(sum(long.active_persons) as integer) as active_persons,
        round(sum(long.active_fte), 6) as active_fte,
        cast(sum(long.starts) as integer) as starts,
        cast(sum(long.ends) as integer) as ends,
        any_value(long.month_end = build.as_of and build.as_of < last_day(build.as_of))
            as is_partial_month
    from long
    cross join build
    group by long.month_end, long.breakdown, long.group_code
)

select * from final
