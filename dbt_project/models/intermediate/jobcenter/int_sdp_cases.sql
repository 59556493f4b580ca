-- Sickness-benefit cases with the follow-up rule version chosen by first_absence_date
-- (docs/domain.md §5.6) and their first due date. A case no version covers keeps a row with a
-- null rule_version (it gets no dues). Dates after as_of are not observed (E4): a case_end_date
-- or fast_track_requested_date after as_of is treated as not (yet) there.
with

build as (
    select as_of from {{ ref('int_build') }}
),

cases as (
    select * from {{ ref('stg_sdp_cases') }}
),

versions as (
    select * from {{ ref('stg_rules_sdp_followup') }}
),

-- Overlapping versions (a configuration error) resolve to the latest valid_from.
matched as (
    select
        cases.case_id,
        cases.person_key,
        cases.first_absence_date,
        cases.employment_status,
        case when cases.case_end_date <= build.as_of then cases.case_end_date end
            as case_end_date,
        case
            when cases.fast_track_requested_date <= build.as_of
                then cases.fast_track_requested_date
        end as fast_track_requested_date,
        versions.name as rule_version,
        versions.first_due_days,
        versions.fast_track_days,
        versions.then_count,
        versions.then_within_days,
        versions.then_interval_days,
        row_number() over (
            partition by cases.case_id order by versions.valid_from desc, versions.name
        ) as version_rank
    from cases
    cross join build
    left join versions
        on
            cases.first_absence_date >= versions.valid_from
            and (versions.valid_to is null or cases.first_absence_date <= versions.valid_to)
),

final as (
    select
        case_id,
        person_key,
        first_absence_date,
        employment_status,
        case_end_date,
        fast_track_requested_date,
        rule_version,
        first_due_days,
        fast_track_days,
        then_count,
        then_within_days,
        then_interval_days,
        case
            when then_count is not null and then_within_days is not null then 'count'
            when then_interval_days is not null then 'interval'
        end as later_rule,
        -- Due 1: first_due_days after the first absence day, earlier on a fast-track request.
        cast(least(
            first_absence_date + first_due_days,
            fast_track_requested_date + fast_track_days
        ) as date) as first_due_date,
        coalesce(
            fast_track_requested_date + fast_track_days < first_absence_date + first_due_days,
            false
        ) as fast_track_applied
    from matched
    where version_rank = 1
)

select * from final
