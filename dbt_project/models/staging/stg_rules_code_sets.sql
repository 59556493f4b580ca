with source as (
    select * from {{ source('raw', 'rules_code_sets') }}
),

final as (
    select
        cast(rule_set as varchar) as rule_set,
        cast(version_name as varchar) as version_name,
        cast(code as varchar) as code
    from source
)

select * from final
