-- The dates on which quota figures are evaluated, per workplace (docs/domain.md §5.3): a set of dates,
-- never one row per day. Window month-ends feed fct_quota_status; the start dates of the judged
-- placements feed fct_quota_breaches; the natural month-ends of the 12 months before the window
-- are the look-back of the 4-month FTE average and the 12-month merbeskæftigelse mean.
with

build as (
    select as_of, window_start from {{ ref('int_build') }}
),

workplaces as (
    select ou.org_unit_id as workplace_id
    from {{ ref('int_org_units') }} as ou
    where ou.p_number is not null
),

window_month_ends as (
    select wm.month_end as eval_date, true as is_window_month_end
    from {{ ref('int_window_months') }} as wm
),

lookback_month_ends as (
    select
        cast(last_day(unnest(generate_series(
            cast(b.window_start - interval 12 month as date),
            cast(b.window_start - interval 1 month as date),
            interval 1 month
        ))) as date) as eval_date,
        false as is_window_month_end
    from build as b
),

month_dates as (
    select * from window_month_ends
    union all
    select * from lookback_month_ends
),

workplace_months as (
    select w.workplace_id, md.eval_date, md.is_window_month_end, false as is_placement_start
    from workplaces as w
    cross join month_dates as md
),

local_schemes as (
    select cs.code as scheme
    from {{ ref('stg_rules_code_sets') }} as cs
    where cs.rule_set = 'local_quota_schemes'
),

-- Placements judged in fct_quota_breaches: local scheme, start in the window, unit with a workplace.
placement_starts as (
    select distinct
        p.workplace_id,
        p.start_date as eval_date,
        false as is_window_month_end,
        true as is_placement_start
    from {{ ref('int_placements') }} as p
    inner join local_schemes as ls on p.scheme = ls.scheme
    cross join build as b
    where
        p.workplace_id is not null
        and p.start_date between b.window_start and b.as_of
),

final as (
    select
        workplace_id,
        eval_date,
        bool_or(is_window_month_end) as is_window_month_end,
        bool_or(is_placement_start) as is_placement_start
    from (
        select * from workplace_months
        union all
        select * from placement_starts
    ) as all_dates
    group by workplace_id, eval_date
)

select * from final
