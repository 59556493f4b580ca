with source as (
    select * from {{ source('raw', 'targets') }}
),

final as (
    select
        cast(kpi as varchar) as kpi,
        cast(scope_type as varchar) as scope_type,
        cast(scope_id as varchar) as scope_id,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(target_value as double) as target_value,
        cast(direction as varchar) as direction,
        cast(source as varchar) as source,
        cast(file_row as integer) as file_row
    from source
)

select * from final
