-- Retention of the cohort (docs/domain.md §5.5, E16): one row per cohort engagement. Week k
-- (k = 0 … weeks − 1) is the days start + 7k … start + 7k + 6; the person is employed in week k
-- when they hold any engagement in the municipality on its last day. Only observed weeks (last
-- day ≤ as_of) count.
--
-- No row per week or day: employment comes as disjoint islands (int_employment_islands), and an
-- island [a, b] contains the last days of weeks ceil((a − start − 6) / 7) … floor((b − start −
-- 6) / 7), clamped to 0 … weeks − 1. Islands end at as_of, so only observed weeks are counted.
with

build as (
    select as_of, retention_weeks, retention_retained_weeks from {{ ref('int_build') }}
),

cohort as (
    select * from {{ ref('int_retention_cohort') }}
),

islands as (
    select * from {{ ref('int_employment_islands') }}
),

weeks_in_islands as (
    select
        cohort.engagement_id,
        greatest(
            0,
            least(
                build.retention_weeks - 1,
                floor((islands.island_end - cohort.start_date - 6) / 7.0)
            )
            - greatest(0, ceil((islands.island_start - cohort.start_date - 6) / 7.0))
            + 1
        ) as weeks
    from cohort
    cross join build
    inner join islands
        on
            islands.person_key = cohort.person_key
            and islands.island_end >= cohort.start_date + 6
            and islands.island_start <= cohort.start_date + 7 * build.retention_weeks - 1
),

employed as (
    select engagement_id, cast(sum(weeks) as integer) as weeks_employed
    from weeks_in_islands
    group by engagement_id
),

measured as (
    select
        cohort.*,
        cast(
            least(
                build.retention_weeks,
                greatest(0, floor((build.as_of - cohort.start_date - 6) / 7.0) + 1)
            ) as integer
        ) as weeks_observed,
        coalesce(employed.weeks_employed, 0) as weeks_employed,
        build.retention_retained_weeks,
        -- start + 181 ≤ as_of with the default 26 weeks: the last week's last day is observed.
        cohort.start_date + 7 * build.retention_weeks - 1 <= build.as_of as window_complete
    from cohort
    cross join build
    left join employed on employed.engagement_id = cohort.engagement_id
),

final as (
    select
        engagement_id,
        person_key,
        engagement_type,
        org_unit_id,
        start_date,
        preceded_by_placement,
        weeks_observed,
        weeks_employed,
        weeks_employed >= retention_retained_weeks as retained_13_of_26,
        window_complete,
        workplace_id,
        staff_group,
        preceding_placement_id,
        preceding_scheme,
        preceding_benefit_group
    from measured
)

select * from final
