-- Unit and direction of the jobindsats measures (seed benchmark_measures) with the direction's
-- Danish label, for the benchmark report's charts.
with measures as (
    select * from {{ ref('benchmark_measures') }}
),

labels as (
    select code, label_da from {{ ref('code_labels') }} where code_list = 'direction'
),

final as (
    select
        measures.table_id,
        measures.measure,
        measures.unit_da,
        measures.direction,
        labels.label_da as direction_da
    from measures
    inner join labels on labels.code = measures.direction
)

select * from final
