-- Ordinary staff per workplace on every evaluation date (docs/domain.md §5.3, E8): distinct persons
-- with an active `ordinaer` engagement at the workplace, 18 or older on the date; their FTE adds
-- up (two engagements of one person: counted once, FTE summed), rounded to 6 decimals.
with

dates as (
    select workplace_id, eval_date, is_window_month_end, is_placement_start
    from {{ ref('int_quota_eval_dates') }}
),

ordinary as (
    select e.person_key, e.workplace_id, e.fte, e.start_date, e.end_date, e.date_18
    from {{ ref('int_engagements') }} as e
    where e.engagement_type = 'ordinaer' and e.workplace_id is not null
),

active as (
    select d.workplace_id, d.eval_date, o.person_key, o.fte
    from dates as d
    inner join ordinary as o
        on
            o.workplace_id = d.workplace_id
            and o.start_date <= d.eval_date
            and (o.end_date is null or o.end_date >= d.eval_date)
            and o.date_18 <= d.eval_date
),

counted as (
    select
        workplace_id,
        eval_date,
        count(distinct person_key) as ordinary_headcount,
        round(sum(fte), 6) as ordinary_fte
    from active
    group by workplace_id, eval_date
),

final as (
    select
        d.workplace_id,
        d.eval_date,
        d.is_window_month_end,
        d.is_placement_start,
        coalesce(c.ordinary_headcount, 0) as ordinary_headcount,
        coalesce(c.ordinary_fte, 0.0) as ordinary_fte
    from dates as d
    left join counted as c on d.workplace_id = c.workplace_id and d.eval_date = c.eval_date
)

select * from final
