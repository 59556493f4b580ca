-- Staff employed on special terms (the inklusion engagement types, docs/domain.md §2) per
-- month_end of the window and union area (engagements.union_area), for the hmu report's
-- inclusion overview. Persons are distinct within a union area; a person with two such
-- engagements in two union areas counts in each (the report's total is the sum of the rows).
with engagements as (
    select person_key, union_area, fte, start_date, end_date
    from {{ ref('int_engagements') }}
    where staff_group = 'inklusion'
),

months as (
    select month_end from {{ ref('int_window_months') }}
),

active as (
    select
        months.month_end,
        engagements.union_area,
        engagements.person_key,
        engagements.fte
    from months
    inner join engagements
        on engagements.start_date <= months.month_end
        and (engagements.end_date is null or engagements.end_date >= months.month_end)
),

final as (
    select
        month_end,
        union_area,
        count(distinct person_key) as persons,
        round(sum(fte), 6) as fte
    from active
    group by month_end, union_area
)

select * from final
