-- Follow-up conversations in sickness-benefit cases (docs/domain.md §5.6, E17): one row per
-- listed due that is not dropped, with the k-th held conversation as due k's held date.
-- Dropped: not held and the case ended on or before the due date (due 1 too).
--   on_time      held ≤ due                days_late 0
--   late         held > due                days_late held − due
--   missing      not held, due < as_of     days_late as_of − due
--   not_due_yet  not held, due ≥ as_of     days_late 0
with

build as (
    select as_of from {{ ref('int_build') }}
),

cases as (
    select * from {{ ref('int_sdp_cases') }}
),

dues as (
    select * from {{ ref('int_sdp_dues') }}
),

held as (
    select * from {{ ref('int_sdp_held_conversations') }}
),

matched as (
    select
        dues.case_id,
        cases.person_key,
        dues.rule_version,
        dues.due_no,
        dues.due_date,
        held.held_date,
        dues.due_kind,
        dues.category_at_due,
        cases.first_absence_date,
        cases.case_end_date,
        cases.fast_track_applied,
        cases.employment_status,
        build.as_of
    from dues
    inner join cases on cases.case_id = dues.case_id
    cross join build
    left join held on held.case_id = dues.case_id and held.held_no = dues.due_no
    where not (
        held.held_date is null
        and cases.case_end_date is not null
        and cases.case_end_date <= dues.due_date
    )
),

final as (
    select
        case_id,
        person_key,
        rule_version,
        due_no,
        due_date,
        held_date,
        case
            when held_date <= due_date then 'on_time'
            when held_date > due_date then 'late'
            when due_date < as_of then 'missing'
            else 'not_due_yet'
        end as status,
        cast(
            case
                when held_date > due_date then held_date - due_date
                when held_date is null and due_date < as_of then as_of - due_date
                else 0
            end as integer
        ) as days_late,
        due_kind,
        category_at_due,
        first_absence_date,
        case_end_date,
        fast_track_applied,
        employment_status
    from matched
)

select * from final
