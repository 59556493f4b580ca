-- KPIs against their targets (docs/domain.md §5.8, E22–E23): one row per KPI × scope × period
-- (month, quarter, year overlapping the reporting window). The §5.8 columns come first.
with kpi_values as (
    select * from {{ ref('int_kpi_values') }}
),

scopes as (
    select scope_type, scope_id, scope_name from {{ ref('int_kpi_scopes') }}
),

-- E23: the one target that applies to a row (the narrowest, then the later row of the file).
applicable_targets as (
    select * from {{ ref('int_kpi_target_candidates') }}
    where is_applied
),

final as (
    select
        kpi_values.kpi,
        kpi_values.scope_type,
        kpi_values.scope_id,
        kpi_values.period_type,
        kpi_values.period_start,
        kpi_values.period_end,
        kpi_values.value,
        applicable_targets.target_value,
        applicable_targets.direction,
        case
            when applicable_targets.direction = 'min'
                then kpi_values.value >= applicable_targets.target_value
            when applicable_targets.direction = 'max'
                then kpi_values.value <= applicable_targets.target_value
        end as target_met,
        scopes.scope_name,
        kpi_values.period_label,
        kpi_values.unit,
        kpi_values.numerator,
        kpi_values.denominator,
        kpi_values.suppressed,
        applicable_targets.target_source,
        applicable_targets.target_period_start,
        applicable_targets.target_period_end
    from kpi_values
    inner join scopes
        on scopes.scope_type = kpi_values.scope_type
        and scopes.scope_id = kpi_values.scope_id
    left join applicable_targets
        on applicable_targets.kpi = kpi_values.kpi
        and applicable_targets.scope_type = kpi_values.scope_type
        and applicable_targets.scope_id = kpi_values.scope_id
        and applicable_targets.period_type = kpi_values.period_type
        and applicable_targets.period_start = kpi_values.period_start
)

select * from final
