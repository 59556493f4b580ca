-- jobindsats.dk facts (docs/domain.md §5.7): one row per table × measure × area × period × dimensions.
-- Ingest already normalised the extracts and let the later extract win per cell (E20); here
-- only periods that start after as_of are left out (nothing after as_of is observed, E4).
with facts as (
    select * from {{ ref('stg_jobindsats') }}
),

observed as (
    select * from facts
    where period_start <= {{ as_of() }}
),

final as (
    select
        table_id,
        measure,
        area_name,
        municipality_code,
        area_level,
        period_code,
        period_type,
        period_start,
        period_end,
        dimensions,
        value,
        suppressed,
        source_file
    from observed
)

select * from final
