-- The dues each sickness-benefit case lists under its rule version (docs/domain.md §5.6, E17),
-- before the drop rule and the statuses (fct_sdp_followup applies those).
--   due 1          first_due_date (int_sdp_cases), required for every case;
--   count rule     dues 2 … 1 + count, all dated first_absence_date + within_days;
--   interval rule  due k + 1 = (held date of due k, or due k's date when not held) + interval,
--                  listed up to and including the first due dated on or after as_of.
-- Later dues need the latest visitation category on or before the due's date (for the count
-- rule: on that date or as_of if earlier) to be one of the version's categories; the chain stops
-- at the first due that fails it.
--
-- The interval chain is recursive by nature, but its closed form needs no recursion. The k-th
-- held conversation satisfies due k, so while conversations were held (k ≤ H, H = held
-- conversations of the case) due k + 1 = held_k + interval; from due H + 1 on nothing is held and
-- due H + 1 + n = due H + 1 + n × interval. That tail is a bounded generate_series that stops at
-- the first due on or after min(as_of, case_end_date): later ones are either after as_of (not
-- listed, E17) or after the case ended and not held (dropped, so is every due after them).
-- Bound: a case lists at most 1 + H + ceil((min(as_of, case_end) − due H + 1) / interval) dues,
-- e.g. 130 for a case open ten years with nothing held; interval_days ≤ 0 lists no later due.
with

build as (
    select as_of from {{ ref('int_build') }}
),

cases as (
    select * from {{ ref('int_sdp_cases') }}
    where rule_version is not null
),

held as (
    select case_id, held_no, held_date from {{ ref('int_sdp_held_conversations') }}
),

categories as (
    select version_name, cast(code as integer) as category
    from {{ ref('stg_rules_code_sets') }}
    where rule_set = 'sdp_categories'
),

first_dues as (
    select case_id, 1 as due_no, first_due_date as due_date
    from cases
),

count_dues as (
    select
        case_id,
        unnest(generate_series(2, 1 + then_count)) as due_no,
        cast(first_absence_date + then_within_days as date) as due_date
    from cases
    where later_rule = 'count'
),

interval_cases as (
    select
        cases.case_id,
        cases.first_due_date,
        cases.then_interval_days,
        least(build.as_of, coalesce(cases.case_end_date, build.as_of)) as chain_limit,
        coalesce(held_counts.held_count, 0) as held_count,
        held_counts.last_held_date
    from cases
    cross join build
    left join (
        select case_id, max(held_no) as held_count, max(held_date) as last_held_date
        from held
        group by case_id
    ) as held_counts on held_counts.case_id = cases.case_id
    where cases.later_rule = 'interval' and cases.then_interval_days > 0
),

-- Dues 2 … H + 1: each follows a held conversation.
interval_held_dues as (
    select
        interval_cases.case_id,
        held.held_no + 1 as due_no,
        cast(held.held_date + interval_cases.then_interval_days as date) as due_date
    from interval_cases
    inner join held on held.case_id = interval_cases.case_id
),

-- Due H + 1 (due 1 when nothing was held) starts the tail of dues that nobody held.
interval_tail_base as (
    select
        case_id,
        held_count + 1 as base_no,
        case
            when held_count = 0 then first_due_date
            else cast(last_held_date + then_interval_days as date)
        end as base_date,
        then_interval_days,
        chain_limit
    from interval_cases
),

interval_tail_steps as (
    select
        case_id,
        base_no,
        base_date,
        then_interval_days,
        unnest(
            generate_series(
                1,
                cast(ceil((chain_limit - base_date) / then_interval_days) as bigint)
            )
        ) as step
    from interval_tail_base
    where base_date < chain_limit
),

interval_tail_dues as (
    select
        case_id,
        base_no + step as due_no,
        cast(base_date + cast(step * then_interval_days as integer) as date) as due_date
    from interval_tail_steps
),

candidates as (
    select case_id, cast(due_no as integer) as due_no, due_date from first_dues
    union all
    select case_id, cast(due_no as integer), due_date from count_dues
    union all
    select case_id, cast(due_no as integer), due_date from interval_held_dues
    union all
    select case_id, cast(due_no as integer), due_date from interval_tail_dues
),

with_check_date as (
    select
        candidates.*,
        cases.rule_version,
        cases.later_rule,
        -- Visitations after as_of are not observed; for the count rule E17 says so explicitly.
        least(candidates.due_date, build.as_of) as category_date
    from candidates
    inner join cases on cases.case_id = candidates.case_id
    cross join build
),

with_category as (
    select
        with_check_date.*,
        visits.category as category_at_due
    from with_check_date
    asof left join {{ ref('int_sdp_visitation_categories') }} as visits
        on
            visits.case_id = with_check_date.case_id
            and with_check_date.category_date >= visits.valid_from
),

flagged as (
    select
        with_category.*,
        with_category.due_no >= 2 and categories.category is null as fails_category,
        with_category.later_rule = 'interval' and with_category.due_date >= build.as_of
            as on_or_after_as_of
    from with_category
    cross join build
    left join categories
        on
            categories.version_name = with_category.rule_version
            and categories.category = with_category.category_at_due
),

stops as (
    select
        *,
        min(due_no) filter (where fails_category) over (partition by case_id)
            as first_failing_no,
        min(due_no) filter (where on_or_after_as_of) over (partition by case_id)
            as first_after_as_of_no
    from flagged
),

final as (
    select
        case_id,
        rule_version,
        due_no,
        case when due_no = 1 then 'first' else 'later' end as due_kind,
        due_date,
        category_at_due
    from stops
    where
        (first_failing_no is null or due_no < first_failing_no)
        and (first_after_as_of_no is null or due_no <= first_after_as_of_no)
)

select * from final
