-- Rettidighed for the jobcenter report: counted dues of fct_sdp_followup (on_time, late,
-- missing) per month, quarter and year of the reporting window × due kind (first, later, all),
-- with what the report's disclosure control needs (the distinct persons behind each figure)
-- and the targets fct_kpi matched and judged (docs/domain.md §5.6, §5.8, E18). A due counts in
-- the period of its due date if that date lies in a month of the window, as in
-- fct_rettidighed_monthly; every period × kind has a row (0 dues when none), so the report can
-- draw gaps and show zeros.
with build as (
    select as_of from {{ ref('int_build') }}
),

periods as (
    select period_type, period_start, period_end, period_end_natural, period_label
    from {{ ref('int_periods') }}
),

kinds as (
    select * from (values ('first'), ('later'), ('all')) as t (due_kind)
),

window_months as (
    select month_start from {{ ref('int_window_months') }}
),

-- Counted dues dated in a month of the window: a due dated after as_of's month (held early)
-- is in no month of fct_rettidighed_monthly, so in no quarter or year here either.
dues as (
    select
        case_id,
        person_key,
        rule_version,
        due_kind as own_kind,
        due_date,
        status,
        days_late
    from {{ ref('fct_sdp_followup') }}
    where status in ('on_time', 'late', 'missing')
        and date_trunc('month', due_date) in (select month_start from window_months)
),

-- Each counted due in the month, quarter and year of its due date.
dues_in_periods as (
    select
        periods.period_type,
        periods.period_start,
        kinds.due_kind,
        dues.*
    from dues
    inner join periods
        on periods.period_start = date_trunc(periods.period_type, dues.due_date)
    inner join kinds on kinds.due_kind in (dues.own_kind, 'all')
),

counted as (
    select
        period_type,
        period_start,
        due_kind,
        count(*) as dues,
        count(*) filter (where status = 'on_time') as on_time,
        count(*) filter (where status = 'late') as late,
        count(*) filter (where status = 'missing') as missing,
        median(days_late) filter (where status in ('late', 'missing')) as median_days_late,
        count(distinct person_key) as persons,
        count(distinct person_key) filter (where status in ('late', 'missing'))
            as persons_late_or_missing,
        count(distinct case_id) filter (where status = 'missing') as cases_with_missing,
        string_agg(distinct rule_version, ', ' order by rule_version) as rule_versions
    from dues_in_periods
    group by period_type, period_start, due_kind
),

kpi_names as (
    select * from (
        values ('all', 'rettidighed_pct'), ('first', 'rettidighed_first_pct')
    ) as t (due_kind, kpi)
),

targets as (
    select
        kpi_names.due_kind,
        kpi.period_type,
        kpi.period_start,
        kpi.target_value,
        kpi.direction as target_direction,
        kpi.target_met
    from {{ ref('fct_kpi') }} as kpi
    inner join kpi_names on kpi_names.kpi = kpi.kpi
    where kpi.scope_type = 'kommune'
),

final as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.period_label,
        kinds.due_kind,
        cast(coalesce(counted.dues, 0) as integer) as dues,
        cast(coalesce(counted.on_time, 0) as integer) as on_time,
        cast(coalesce(counted.late, 0) as integer) as late,
        cast(coalesce(counted.missing, 0) as integer) as missing,
        100.0 * counted.on_time / nullif(counted.dues, 0) as rettidighed_pct,
        cast(counted.median_days_late as double) as median_days_late,
        cast(coalesce(counted.persons, 0) as integer) as persons,
        cast(coalesce(counted.persons_late_or_missing, 0) as integer) as persons_late_or_missing,
        cast(coalesce(counted.cases_with_missing, 0) as integer) as cases_with_missing,
        counted.rule_versions,
        targets.target_value,
        targets.target_direction,
        targets.target_met,
        build.as_of < periods.period_end_natural as is_partial
    from periods
    cross join kinds
    cross join build
    left join counted
        on counted.period_type = periods.period_type
        and counted.period_start = periods.period_start
        and counted.due_kind = kinds.due_kind
    left join targets
        on targets.period_type = periods.period_type
        and targets.period_start = periods.period_start
        and targets.due_kind = kinds.due_kind
)

select * from final
