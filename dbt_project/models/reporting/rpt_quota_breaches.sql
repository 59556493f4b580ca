-- Rule breaches for the kvote report, one row per placement (docs/domain.md §5.3): the breach
-- types and their explanations side by side, with the workplace's name and area, and the
-- statutory rule's citation instead of its internal name. No person_key and no scheme leave
-- this model (a scheme is a personal attribute; the breach type implies what the rule needs).
with breaches as (
    select * from {{ ref('fct_quota_breaches') }}
),

units as (
    select org_unit_id, name, area from {{ ref('dim_org_unit') }}
),

rules as (
    select name, source from {{ ref('stg_rules_statutory_ratio') }}
),

labels as (
    select code, label_da, sort_order from {{ ref('code_labels') }} where code_list = 'breach_type'
),

explained as (
    select
        breaches.placement_id,
        breaches.workplace_id,
        breaches.start_date,
        breaches.breach_type,
        labels.sort_order,
        -- the statutory rule by its citation (e.g. "bek. nr. 2636 af 28/12/2021 § 65")
        coalesce(replace(breaches.detail, '(' || rules.name || ')', '(' || rules.source || ')'),
            breaches.detail) as detail
    from breaches
    left join labels on labels.code = breaches.breach_type
    left join rules on contains(breaches.detail, '(' || rules.name || ')')
),

final as (
    select
        dense_rank() over (order by explained.placement_id) as placement_no,
        explained.start_date,
        coalesce(units.name, explained.workplace_id) as workplace_name,
        units.area,
        list(explained.breach_type order by explained.sort_order) as breach_types,
        list(explained.detail order by explained.sort_order) as details
    from explained
    left join units on units.org_unit_id = explained.workplace_id
    group by explained.placement_id, explained.start_date, explained.workplace_id, units.name,
        units.area
)

select * from final
