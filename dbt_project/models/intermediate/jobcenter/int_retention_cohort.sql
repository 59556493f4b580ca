-- The retention cohort (docs/domain.md §5.5): engagements starting in the reporting window that
-- are of an inklusion type or preceded by a placement — the same person has a placement whose
-- scheme differs from the engagement's type and that was active on the engagement's start date
-- or ended within placement_followup_days before it (placement start ≤ start ≤ end + days;
-- an open placement or one ending after as_of is active). The most recent such placement
-- (latest start, then placement_id) is kept as the preceding placement.
with

build as (
    select as_of, window_start, placement_followup_days from {{ ref('int_build') }}
),

engagements as (
    select e.*
    from {{ ref('int_engagements') }} as e
    cross join build
    where e.start_date between build.window_start and build.as_of
),

placements as (
    select * from {{ ref('int_placements') }}
),

preceding as (
    select
        engagements.engagement_id,
        placements.placement_id,
        placements.scheme,
        placements.benefit_group,
        row_number() over (
            partition by engagements.engagement_id
            order by placements.start_date desc, placements.placement_id desc
        ) as recency
    from engagements
    cross join build
    inner join placements
        on
            placements.person_key = engagements.person_key
            and placements.scheme <> engagements.engagement_type
            and placements.start_date <= engagements.start_date
            and engagements.start_date
            <= placements.observed_end_date + build.placement_followup_days
),

final as (
    select
        engagements.engagement_id,
        engagements.person_key,
        engagements.engagement_type,
        engagements.org_unit_id,
        engagements.workplace_id,
        engagements.staff_group,
        engagements.start_date,
        preceding.placement_id is not null as preceded_by_placement,
        preceding.placement_id as preceding_placement_id,
        preceding.scheme as preceding_scheme,
        preceding.benefit_group as preceding_benefit_group
    from engagements
    left join preceding
        on preceding.engagement_id = engagements.engagement_id and preceding.recency = 1
    where engagements.staff_group = 'inklusion' or preceding.placement_id is not null
)

select * from final
