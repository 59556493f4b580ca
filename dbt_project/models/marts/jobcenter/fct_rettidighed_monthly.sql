-- Rettidighed per month (docs/domain.md §5.6, E18): counted dues (on_time, late, missing) by
-- the month of their due date, for the months of the reporting window; in as_of's month the
-- row is keyed by as_of. due_kind first (due 1), later (due 2 …) and all. A month/kind appears
-- only with at least one counted due. median_days_late is over late and missing dues (the mean
-- of the two middle values for an even count); null when all were on time.
with

dues as (
    select * from {{ ref('fct_sdp_followup') }}
    where status in ('on_time', 'late', 'missing')
),

months as (
    select month_start, month_end from {{ ref('int_window_months') }}
),

kinds as (
    select * from (values ('first'), ('later'), ('all')) as t (due_kind)
),

dues_in_window as (
    select
        months.month_start,
        months.month_end,
        dues.due_kind as own_kind,
        dues.status,
        dues.days_late
    from dues
    inner join months on months.month_start = date_trunc('month', dues.due_date)
),

by_kind as (
    select
        dues_in_window.*,
        kinds.due_kind
    from dues_in_window
    inner join kinds on kinds.due_kind in (dues_in_window.own_kind, 'all')
),

final as (
    select
        month_end,
        due_kind,
        cast(count(*) as integer) as dues,
        cast(count(*) filter (where status = 'on_time') as integer) as on_time,
        100.0 * count(*) filter (where status = 'on_time') / count(*) as rettidighed_pct,
        cast(median(days_late) filter (where status in ('late', 'missing')) as double)
            as median_days_late,
        cast(count(*) filter (where status = 'late') as integer) as late,
        cast(count(*) filter (where status = 'missing') as integer) as missing,
        month_start
    from by_kind
    group by month_start, month_end, due_kind
)

select * from final
