-- The whole municipality's quota figures per month_end of the window (the kvote report's trend):
-- extraordinary persons against the number allowed by the local quota, and how many workplaces
-- are over it or in karens. The month of as_of is flagged partial (its snapshot is as_of).
with status as (
    select * from {{ ref('fct_quota_status') }}
),

build as (
    select as_of from {{ ref('int_build') }}
),

final as (
    select
        status.month_end,
        sum(status.extraordinary_persons) as extraordinary_persons,
        sum(status.allowed_local) as allowed_local,
        count(*) filter (where status.status_local = 'over') as workplaces_over,
        count(*) filter (where status.in_karens) as workplaces_in_karens,
        count(*) as workplaces,
        any_value(status.month_end = build.as_of and build.as_of < last_day(build.as_of))
            as is_partial_month
    from status
    cross join build
    group by status.month_end
)

select * from final
