-- The sums the jobcenter report's disclosure control relies on (reports/jobcenter.py declares
-- them as relations a reader can use) hold exactly in its reporting models:
--   rettidighed: all = first + later, and dues = on_time + late + missing, per period;
--                a quarter and a year = Σ their months, per kind;
--   outcomes:    total = Σ schemes = Σ benefit groups (placements and employed), per period;
--   retention:   a quarter and a year = Σ their months.
-- Any row returned breaks a relation.
with rett as (
    select * from {{ ref('rpt_jobcenter_rettidighed') }}
),

rett_kinds as (
    select a.period_type || ' ' || a.period_start::varchar || ' all <> first + later' as problem
    from rett as a
    inner join rett as f
        on f.period_type = a.period_type and f.period_start = a.period_start
        and f.due_kind = 'first'
    inner join rett as l
        on l.period_type = a.period_type and l.period_start = a.period_start
        and l.due_kind = 'later'
    where a.due_kind = 'all'
        and (a.dues <> f.dues + l.dues or a.on_time <> f.on_time + l.on_time
            or a.late <> f.late + l.late or a.missing <> f.missing + l.missing)
),

rett_statuses as (
    select period_type || ' ' || period_start::varchar || ' ' || due_kind
        || ' dues <> on_time + late + missing' as problem
    from rett
    where dues <> on_time + late + missing
),

rett_months as (
    select
        p.period_type || ' ' || p.period_start::varchar || ' ' || p.due_kind
        || ' <> sum of months' as problem
    from rett as p
    inner join rett as m
        on m.period_type = 'month' and m.due_kind = p.due_kind
        and date_trunc(p.period_type, m.period_start) = p.period_start
    where p.period_type in ('quarter', 'year')
    group by p.period_type, p.period_start, p.due_kind, p.dues, p.on_time, p.late, p.missing
    having p.dues <> sum(m.dues) or p.on_time <> sum(m.on_time) or p.late <> sum(m.late)
        or p.missing <> sum(m.missing)
),

outcomes as (
    select * from {{ ref('rpt_jobcenter_outcomes') }}
),

outcome_parts as (
    select
        t.period_type || ' ' || t.period_start::varchar || ' total <> sum of ' || parts.breakdown
            as problem
    from outcomes as t
    cross join (values ('scheme'), ('benefit_group')) as parts (breakdown)
    left join outcomes as g
        on g.period_type = t.period_type and g.period_start = t.period_start
        and g.breakdown = parts.breakdown
    where t.breakdown = 'total'
    group by t.period_type, t.period_start, parts.breakdown, t.placements, t.employed
    having t.placements <> coalesce(sum(g.placements), 0)
        or t.employed <> coalesce(sum(g.employed), 0)
),

retention as (
    select * from {{ ref('rpt_jobcenter_retention') }}
),

retention_months as (
    select p.period_type || ' ' || p.period_start::varchar || ' retention <> sum of months'
        as problem
    from retention as p
    inner join retention as m
        on m.period_type = 'month'
        and date_trunc(p.period_type, m.period_start) = p.period_start
    where p.period_type in ('quarter', 'year')
    group by p.period_type, p.period_start, p.engagements, p.retained
    having p.engagements <> sum(m.engagements) or p.retained <> sum(m.retained)
)

select problem from rett_kinds
union all select problem from rett_statuses
union all select problem from rett_months
union all select problem from outcome_parts
union all select problem from retention_months
