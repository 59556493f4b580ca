-- Every (KPI row, target) pair where the target applies to the row (docs/domain.md E23): the
-- target's [period_start, period_end] contains the row's period and it names the row's scope.
-- `is_applied` marks the one fct_kpi uses: the narrowest, then the later row of the file. A
-- target with no pair at all applies to nothing (a GX warning lists those).
with kpi_values as (
    select kpi, scope_type, scope_id, period_type, period_start, period_end
    from {{ ref('int_kpi_values') }}
),

scopes as (
    select scope_type, scope_id, unit_name, area_name from {{ ref('int_kpi_scopes') }}
),

targets as (
    select * from {{ ref('stg_targets') }}
),

-- A kommune row takes kommune targets for the municipality_code; an area row takes area
-- targets naming the area (its org_unit_id, name or `area` value, case-insensitive) and
-- org_unit targets naming its unit.
pairs as (
    select
        kpi_values.kpi,
        kpi_values.scope_type,
        kpi_values.scope_id,
        kpi_values.period_type,
        kpi_values.period_start,
        targets.file_row as target_file_row,
        targets.target_value,
        targets.direction,
        targets.source as target_source,
        targets.period_start as target_period_start,
        targets.period_end as target_period_end,
        targets.period_end - targets.period_start as target_days
    from kpi_values
    inner join scopes
        on scopes.scope_type = kpi_values.scope_type
        and scopes.scope_id = kpi_values.scope_id
    inner join targets
        on targets.kpi = kpi_values.kpi
        and targets.period_start <= kpi_values.period_start
        and targets.period_end >= kpi_values.period_end
        and (
            (
                kpi_values.scope_type = 'kommune'
                and targets.scope_type = 'kommune'
                and targets.scope_id = kpi_values.scope_id
            )
            or (
                kpi_values.scope_type = 'area'
                and targets.scope_type = 'area'
                and lower(trim(targets.scope_id)) in (
                    lower(scopes.scope_id),
                    lower(trim(scopes.unit_name)),
                    lower(trim(scopes.area_name))
                )
            )
            or (
                kpi_values.scope_type = 'area'
                and targets.scope_type = 'org_unit'
                and targets.scope_id = kpi_values.scope_id
            )
        )
),

final as (
    select
        *,
        row_number() over (
            partition by kpi, scope_type, scope_id, period_type, period_start
            order by target_days, target_file_row desc
        ) = 1 as is_applied
    from pairs
)

select * from final
