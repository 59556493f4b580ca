-- One row describing the build every report states in its header: as_of, the reporting window,
-- build time, the municipality and the small-cell threshold.
with build as (
    select * from {{ ref('int_build') }}
),

kommuner as (
    select * from {{ ref('stg_kommuner') }}
),

final as (
    select
        build.as_of,
        build.window_start,
        -- nothing after as_of is observed, so the window ends on it
        build.as_of as window_end,
        build.built_at,
        build.municipality_code,
        kommuner.name as municipality_name,
        build.small_cell_min_persons,
        build.history_months
    from build
    left join kommuner
        on build.municipality_code = kommuner.municipality_code
)

select * from final
