-- The jobcenter report's reporting models agree with the published marts they reshape:
-- the month rows of rpt_jobcenter_rettidighed with dues are exactly fct_rettidighed_monthly's
-- rows (dues, on_time, late, missing, median), and the municipality's percentages equal
-- fct_kpi's values for rettidighed_pct / rettidighed_first_pct, placement_employment_pct and
-- retention_13_26_pct in every month, quarter and year. Any row returned is a disagreement.
with rettidighed as (
    select * from {{ ref('rpt_jobcenter_rettidighed') }}
),

monthly as (
    select * from {{ ref('fct_rettidighed_monthly') }}
),

kpi as (
    select kpi, period_type, period_start, value
    from {{ ref('fct_kpi') }}
    where scope_type = 'kommune'
),

month_mismatch as (
    select 'rettidighed month ' || coalesce(r.period_label, m.month_start::varchar) || ' '
        || coalesce(r.due_kind, m.due_kind) as problem
    from (select * from rettidighed where period_type = 'month' and dues > 0) as r
    full join monthly as m
        on m.month_start = r.period_start and m.due_kind = r.due_kind
    where r.period_start is null
        or m.month_start is null
        or r.dues <> m.dues
        or r.on_time <> m.on_time
        or r.late <> m.late
        or r.missing <> m.missing
        or r.median_days_late is distinct from m.median_days_late
),

values_ as (
    select
        case due_kind when 'all' then 'rettidighed_pct' else 'rettidighed_first_pct' end as kpi,
        period_type, period_start, rettidighed_pct as value
    from rettidighed
    where due_kind in ('all', 'first')
    union all
    select 'placement_employment_pct', period_type, period_start, employed_pct
    from {{ ref('rpt_jobcenter_outcomes') }}
    where breakdown = 'total'
    union all
    select 'retention_13_26_pct', period_type, period_start, retained_pct
    from {{ ref('rpt_jobcenter_retention') }}
),

kpi_mismatch as (
    select 'kpi ' || values_.kpi || ' ' || values_.period_type || ' '
        || values_.period_start::varchar as problem
    from values_
    left join kpi
        on kpi.kpi = values_.kpi
        and kpi.period_type = values_.period_type
        and kpi.period_start = values_.period_start
    where kpi.kpi is null
        or (values_.value is null) <> (kpi.value is null)
        or abs(values_.value - kpi.value) > 1e-9
)

select problem from month_mismatch
union all
select problem from kpi_mismatch
