-- The sickness figures a report shows per unit, with what disclosure control needs
-- (docs/domain.md §5.4, §7): fct_sickness joined with the hierarchy, plus the unit's own staff
-- (engagements at the unit itself, not below it) as persons and contracted hours. A report hides
-- a group with fewer than small_cell_min_persons persons (`suppressed`, primary), and chooses
-- complementary cells so that neither a hidden group nor a unit's small own staff can be worked
-- out from alle = ordinære + inklusion and parent = own staff + Σ children (reports/disclosure.py).
with sickness as (
    select * from {{ ref('fct_sickness') }}
),

units as (
    select org_unit_id, name, parent_id, level, path from {{ ref('dim_org_unit') }}
),

-- Distinct persons with an engagement at the unit itself, per period and staff group (alle
-- included): a person in both groups counts once in alle, as in fct_sickness. One row per
-- person, unit and period first (which groups the person is in there), counted after: at
-- 1 000 000 employees a grouped count(distinct), or a distinct over the rows fanned out to
-- their groups, ran out of memory at the default limit; this aggregate spills and needs < 0.5 GB.
own_person_groups as (
    select
        org_unit_id,
        period_type,
        period_start,
        person_id,
        bool_or(staff_group = 'ordinaere') as in_ordinaere,
        bool_or(staff_group = 'inklusion') as in_inklusion
    from {{ ref('int_engagement_period_hours') }}
    group by all
),

own_counts as (
    select
        org_unit_id,
        period_type,
        period_start,
        count(*) filter (where in_ordinaere) as ordinaere,
        count(*) filter (where in_inklusion) as inklusion,
        count(*) as alle
    from own_person_groups
    group by all
),

own_persons as (
    unpivot own_counts
    on ordinaere, inklusion, alle
    into name staff_group value own_persons
),

children as (
    select parent_id as org_unit_id, count(*) as children
    from units
    where parent_id is not null
    group by parent_id
),

final as (
    select
        sickness.org_unit_id,
        units.name,
        units.parent_id,
        units.level,
        units.path,
        coalesce(children.children, 0) as children,
        sickness.period_type,
        sickness.period_start,
        sickness.period_end,
        sickness.staff_group,
        sickness.absence_pct,
        sickness.absence_days_per_fte,
        sickness.persons,
        sickness.suppressed,
        coalesce(own_persons.own_persons, 0) as own_persons,
        sickness.own_contracted_hours
    from sickness
    inner join units on units.org_unit_id = sickness.org_unit_id
    left join children on children.org_unit_id = sickness.org_unit_id
    left join own_persons
        on own_persons.org_unit_id = sickness.org_unit_id
        and own_persons.period_type = sickness.period_type
        and own_persons.period_start = sickness.period_start
        and own_persons.staff_group = sickness.staff_group
)

select * from final
