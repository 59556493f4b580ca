with source as (
    select * from {{ source('raw', 'rules_general') }}
),

final as (
    select
        cast(municipality_code as varchar) as municipality_code,
        cast(full_time_hours as double) as full_time_hours,
        cast(dagsvaerk_hours as double) as dagsvaerk_hours,
        cast(small_cell_min_persons as integer) as small_cell_min_persons,
        cast(history_months as integer) as history_months,
        cast(local_quota_ratio as double) as local_quota_ratio,
        cast(local_quota_basis as varchar) as local_quota_basis,
        cast(local_quota_minimum_allowed as integer) as local_quota_minimum_allowed,
        cast(require_inclusion_approval as boolean) as require_inclusion_approval,
        cast(karens_months as integer) as karens_months,
        cast(conversation_trigger_days as integer) as conversation_trigger_days,
        cast(retention_weeks as integer) as retention_weeks,
        cast(retention_retained_weeks as integer) as retention_retained_weeks,
        cast(placement_followup_days as integer) as placement_followup_days,
        cast(employment_min_days as integer) as employment_min_days
    from source
)

select * from final
