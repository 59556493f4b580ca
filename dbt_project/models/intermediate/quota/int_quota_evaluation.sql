-- Every quota figure of docs/domain.md §5.3 per workplace on the judged dates (window month-ends and
-- placement start dates): local quota, rimelighedskrav, karens and approval. fct_quota_status
-- takes the month-ends, fct_quota_breaches the start dates. FTE figures are already rounded to
-- 6 decimals (E8); quotients are rounded to 9 decimals before floor so that binary fractions
-- (e.g. 0.3 / 0.1) never fall just below an integer.
with

build as (
    select
        local_quota_ratio,
        local_quota_basis,
        local_quota_minimum_allowed
    from {{ ref('int_build') }}
),

ordinary as (
    select * from {{ ref('int_quota_ordinary_staff') }}
),

extraordinary as (
    select * from {{ ref('int_quota_placements_on_date') }}
),

karens as (
    select * from {{ ref('int_quota_karens_on_date') }}
),

approval as (
    select
        ou.org_unit_id as workplace_id,
        ou.inclusion_approved_from,
        ou.inclusion_approved_to
    from {{ ref('int_org_units') }} as ou
    where ou.p_number is not null
),

joined as (
    select
        o.workplace_id,
        o.eval_date,
        o.is_window_month_end,
        o.is_placement_start,
        o.ordinary_headcount,
        o.ordinary_fte,
        o.ordinary_fte_4m_avg,
        o.ordinary_headcount_12m_mean,
        o.months_in_12m_mean,
        coalesce(x.extraordinary_persons, 0) as extraordinary_persons,
        x.statutory_version,
        x.statutory_basis,
        x.statutory_count,
        coalesce(k.in_karens, false) as in_karens,
        k.last_dismissal_date,
        k.karens_until,
        a.inclusion_approved_from,
        a.inclusion_approved_to,
        cast(greatest(
            b.local_quota_minimum_allowed,
            floor(round(
                case b.local_quota_basis
                    when 'fte' then o.ordinary_fte
                    else o.ordinary_headcount
                end / b.local_quota_ratio,
                9
            ))
        ) as integer) as allowed_local,
        -- N of the rimelighedskrav: headcount on d, or the 4-month FTE average
        case x.statutory_basis
            when 'headcount' then cast(o.ordinary_headcount as double)
            when 'fte_4m_avg' then o.ordinary_fte_4m_avg
        end as statutory_n
    from ordinary as o
    cross join build as b
    left join extraordinary as x on o.workplace_id = x.workplace_id and o.eval_date = x.eval_date
    left join karens as k on o.workplace_id = k.workplace_id and o.eval_date = k.eval_date
    left join approval as a on o.workplace_id = a.workplace_id
),

final as (
    select
        workplace_id,
        eval_date,
        is_window_month_end,
        is_placement_start,
        ordinary_headcount,
        ordinary_fte,
        extraordinary_persons,
        allowed_local,
        allowed_local - extraordinary_persons as headroom_local,
        case
            when extraordinary_persons < allowed_local then 'under'
            when extraordinary_persons = allowed_local then 'at'
            else 'over'
        end as status_local,
        statutory_version,
        statutory_count,
        statutory_basis,
        ordinary_fte_4m_avg,
        statutory_n,
        cast(
            greatest(1, floor(round(least(statutory_n, 50) / 5, 9)))
            + floor(round(greatest(statutory_n - 50, 0) / 10, 9))
            as integer
        ) as allowed_statutory,
        in_karens,
        last_dismissal_date,
        karens_until,
        coalesce(
            inclusion_approved_from is not null
            and inclusion_approved_from <= eval_date
            and (inclusion_approved_to is null or eval_date <= inclusion_approved_to),
            false
        ) as approved,
        inclusion_approved_from,
        inclusion_approved_to,
        ordinary_headcount_12m_mean,
        months_in_12m_mean
    from joined
)

select
    *,
    case
        when allowed_statutory is null then null
        when statutory_count > allowed_statutory then 'over'
        else 'ok'
    end as status_statutory
from final
