-- One row describing this build: as_of, the reporting window's first day and every general rule.
with rules as (
    select * from {{ ref('stg_rules_general') }}
),

final as (
    select
        {{ as_of() }} as as_of,
        -- First day of the month history_months before as_of's month (36 → 37 calendar months).
        {{ add_months_clamped("date_trunc('month', " ~ as_of() ~ ")", "-rules.history_months") }}
            as window_start,
        cast(current_timestamp as timestamp) as built_at,
        rules.*
    from rules
)

select * from final
