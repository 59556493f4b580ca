-- Ordinary staff on the judged dates (window month-ends and placement start dates) with their
-- look-backs (docs/domain.md §5.3, E10, E10a):
-- * ordinary_fte_4m_avg: mean of ordinary_fte on the last day of each of the 4 calendar months
--   before the date's month (also months before the reporting window);
-- * ordinary_headcount_12m_mean: mean ordinary_headcount on the 12 month-ends before the date's
--   month, skipping month-ends before the earliest engagement start_date (none left → null).
with

on_date as (
    select * from {{ ref('int_quota_ordinary_on_date') }}
),

judged as (
    select * from on_date where is_window_month_end or is_placement_start
),

-- Natural month-ends only: the look-back rows of each workplace.
month_ends as (
    select workplace_id, eval_date as month_end, ordinary_headcount, ordinary_fte
    from on_date
    where eval_date = last_day(eval_date)
),

register_start as (
    select min(e.start_date) as earliest_start from {{ ref('int_engagements') }} as e
),

lookback as (
    select
        j.workplace_id,
        j.eval_date,
        -- months back from the date's month: 1 = the month before
        datediff('month', m.month_end, date_trunc('month', j.eval_date)) as months_back,
        m.month_end,
        m.ordinary_headcount,
        m.ordinary_fte
    from judged as j
    inner join month_ends as m
        on
            m.workplace_id = j.workplace_id
            and m.month_end < date_trunc('month', j.eval_date)
            and m.month_end >= date_trunc('month', j.eval_date) - interval 12 month
),

averaged as (
    select
        l.workplace_id,
        l.eval_date,
        -- Summed in whole micro-FTE: exact in any order, so the mean's exact halves (x.xxxxxx5,
        -- common after / 4) round the same way on every build; a double sum did not.
        round(sum(round(l.ordinary_fte * 1000000)) filter (where l.months_back <= 4) / 4.0)
        / 1000000.0 as ordinary_fte_4m_avg,
        round(
            avg(l.ordinary_headcount) filter (where l.month_end >= rs.earliest_start), 6
        ) as ordinary_headcount_12m_mean,
        count(*) filter (where l.month_end >= rs.earliest_start) as months_in_12m_mean
    from lookback as l
    cross join register_start as rs
    group by l.workplace_id, l.eval_date
),

final as (
    select
        j.workplace_id,
        j.eval_date,
        j.is_window_month_end,
        j.is_placement_start,
        j.ordinary_headcount,
        j.ordinary_fte,
        coalesce(a.ordinary_fte_4m_avg, 0.0) as ordinary_fte_4m_avg,
        a.ordinary_headcount_12m_mean,
        coalesce(a.months_in_12m_mean, 0) as months_in_12m_mean
    from judged as j
    left join averaged as a on j.workplace_id = a.workplace_id and j.eval_date = a.eval_date
)

select * from final
