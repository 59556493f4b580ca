-- The KPIs of docs/domain.md §5.8 (seed kpi_definitions): the one list of KPI names.
with source as (
    select * from {{ ref('kpi_definitions') }}
),

final as (
    select
        cast(kpi as varchar) as kpi,
        cast(unit as varchar) as unit,
        cast(scopes as varchar) as scopes,
        cast(snapshot as boolean) as snapshot,
        cast(label_da as varchar) as label_da,
        cast(definition as varchar) as definition
    from source
)

select * from final
