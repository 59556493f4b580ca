-- The rules behind the jobcenter report's figures, in one row, so the report explains them with
-- the numbers in force (config/rules.yml over the defaults) instead of copies in Python: the
-- retention window and the placement follow-up (docs/domain.md §4, §5.5), and the last start
-- and end dates whose windows are complete on as_of.
with build as (
    select * from {{ ref('int_build') }}
),

final as (
    select
        as_of,
        window_start,
        small_cell_min_persons,
        retention_weeks,
        retention_retained_weeks,
        placement_followup_days,
        employment_min_days,
        -- fct_retention.window_complete: start + 7 × weeks − 1 ≤ as_of
        cast(as_of - (7 * retention_weeks - 1) as date) as retention_complete_through,
        -- fct_placement_outcomes.window_complete: end + follow-up + minimum ≤ as_of
        cast(as_of - (placement_followup_days + employment_min_days) as date)
            as outcomes_final_through
    from build
)

select * from final
