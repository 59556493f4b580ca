-- Outcomes of ended placements (docs/domain.md §5.5): one row per placement of any scheme that
-- ended inside the reporting window (end_date ≤ as_of). A qualifying engagement is one of the
-- same person whose engagement_type is not the placement's scheme (its own payroll record is no
-- outcome of it), starting between the placement's start_date and end_date +
-- placement_followup_days, lasting ≥ employment_min_days counted inclusively (min(end_date,
-- as_of) − start_date + 1; open = until as_of). The first (earliest start, then engagement_id)
-- gives first_engagement_type and days_to_employment (negative: started during the placement).
with

build as (
    select
        as_of,
        window_start,
        placement_followup_days,
        employment_min_days
    from {{ ref('int_build') }}
),

ended as (
    select p.*
    from {{ ref('int_placements') }} as p
    cross join build
    where p.end_date between build.window_start and build.as_of
),

-- Filter on the engagement's own length before pairing it with placements.
lasting as (
    select e.engagement_id, e.person_key, e.engagement_type, e.start_date
    from {{ ref('int_engagements') }} as e
    cross join build
    where e.observed_end_date - e.start_date + 1 >= build.employment_min_days
),

qualifying as (
    select
        ended.placement_id,
        lasting.engagement_id,
        lasting.engagement_type,
        lasting.start_date,
        row_number() over (
            partition by ended.placement_id
            order by lasting.start_date, lasting.engagement_id
        ) as engagement_rank
    from ended
    cross join build
    inner join lasting
        on
            lasting.person_key = ended.person_key
            and lasting.engagement_type <> ended.scheme
            and lasting.start_date >= ended.start_date
            and lasting.start_date <= ended.end_date + build.placement_followup_days
),

final as (
    select
        ended.placement_id,
        ended.person_key,
        ended.scheme,
        ended.benefit_group,
        ended.workplace_id,
        ended.end_date,
        qualifying.engagement_id is not null as employed_after,
        qualifying.engagement_type as first_engagement_type,
        cast(qualifying.start_date - ended.end_date as integer) as days_to_employment,
        ended.end_date + build.placement_followup_days + build.employment_min_days
        <= build.as_of as window_complete,
        ended.start_date,
        ended.org_unit_id,
        ended.end_reason,
        qualifying.engagement_id as first_engagement_id
    from ended
    cross join build
    left join qualifying
        on qualifying.placement_id = ended.placement_id and qualifying.engagement_rank = 1
)

select * from final
