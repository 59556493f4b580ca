-- Quota status per workplace and month of the reporting window (docs/domain.md §5.3), evaluated on
-- d = month_end (= as_of in as_of's month).
with

evaluation as (
    select * from {{ ref('int_quota_evaluation') }}
    where is_window_month_end
),

final as (
    select
        eval_date as month_end,
        workplace_id,
        ordinary_headcount,
        ordinary_fte,
        extraordinary_persons,
        allowed_local,
        headroom_local,
        status_local,
        statutory_version,
        statutory_count,
        statutory_basis,
        ordinary_fte_4m_avg,
        allowed_statutory,
        status_statutory,
        in_karens,
        karens_until,
        approved
    from evaluation
)

select * from final
