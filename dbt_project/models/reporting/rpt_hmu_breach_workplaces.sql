-- Rule breaches per quarter and year of the window, workplace and breach type, for the hmu
-- report: how many placements started in the period with the breach, and the reason given for
-- the latest of them (rpt_quota_breaches' explanation, the statutory rule cited by its source).
-- The report lists these instead of every placement (those stay in its XLSX).
with breaches as (
    select
        placement_no,
        start_date,
        workplace_name,
        area,
        unnest(breach_types) as breach_type,
        unnest(details) as detail
    from {{ ref('rpt_quota_breaches') }}
),

periods as (
    select period_type, period_start, period_end
    from {{ ref('int_periods') }}
    where period_type in ('quarter', 'year')
),

in_period as (
    select
        periods.period_type,
        periods.period_start,
        breaches.*,
        row_number() over (
            partition by periods.period_type, periods.period_start, breaches.workplace_name,
                breaches.area, breaches.breach_type
            order by breaches.start_date desc, breaches.placement_no desc
        ) as recency
    from periods
    inner join breaches on breaches.start_date between periods.period_start and periods.period_end
),

final as (
    select
        period_type,
        period_start,
        workplace_name,
        area,
        breach_type,
        count(distinct placement_no) as placements,
        max(start_date) as latest_start,
        max(detail) filter (where recency = 1) as latest_detail
    from in_period
    group by period_type, period_start, workplace_name, area, breach_type
)

select * from final
