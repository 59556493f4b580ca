-- Karens per workplace on the judged dates (docs/domain.md §5.3, E10): some `ordinaer` engagement at
-- the workplace (under-18s included) ended with end_reason `afskediget` and
-- d − karens_months ≤ end_date < d, in calendar months with the day clamped to the month's length
-- (DuckDB's date − interval 'n months' clamps). An end_date equal to d is not yet karens.
with

build as (
    select karens_months from {{ ref('int_build') }}
),

dates as (
    select workplace_id, eval_date
    from {{ ref('int_quota_eval_dates') }}
    where is_window_month_end or is_placement_start
),

dismissals as (
    select e.workplace_id, e.end_date
    from {{ ref('int_engagements') }} as e
    where
        e.engagement_type = 'ordinaer'
        and e.end_reason = 'afskediget'
        and e.workplace_id is not null
        and e.end_date is not null
),

in_karens as (
    select d.workplace_id, d.eval_date, max(x.end_date) as last_dismissal_date
    from dates as d
    cross join build as b
    inner join dismissals as x
        on
            x.workplace_id = d.workplace_id
            and x.end_date < d.eval_date
            and x.end_date >= cast(d.eval_date - to_months(b.karens_months) as date)
    group by d.workplace_id, d.eval_date
),

final as (
    select
        d.workplace_id,
        d.eval_date,
        k.last_dismissal_date is not null as in_karens,
        k.last_dismissal_date,
        cast(k.last_dismissal_date + to_months(b.karens_months) as date) as karens_until
    from dates as d
    cross join build as b
    left join in_karens as k on d.workplace_id = k.workplace_id and d.eval_date = k.eval_date
)

select * from final
