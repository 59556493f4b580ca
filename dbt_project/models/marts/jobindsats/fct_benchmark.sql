-- Each municipality against the others and against Hele landet (docs/domain.md §5.7, E21), per
-- table × measure × period × dimension combination. RAR areas are not ranked.
with facts as (
    select * from {{ ref('fct_jobindsats') }}
),

-- One fact per municipality and cell: two spellings of one municipality (e.g. "Århus" and
-- "Aarhus") must not rank twice; the later extract wins as for any revision.
municipalities as (
    select *
    from facts
    where area_level = 'kommune'
    qualify row_number() over (
        partition by table_id, measure, period_code, dimensions, municipality_code
        order by source_file desc, area_name
    ) = 1
),

national as (
    select table_id, measure, period_code, dimensions, value as national_value
    from facts
    where area_level = 'land'
    qualify row_number() over (
        partition by table_id, measure, period_code, dimensions
        order by source_file desc, area_name
    ) = 1
),

-- Competition ranking (1, 1, 3) among the municipalities with a value; a suppressed
-- municipality keeps its row with no rank and does not count in n_municipalities.
ranked as (
    select
        *,
        case when value is not null then rank() over (
            partition by table_id, measure, period_code, dimensions, value is null
            order by value desc
        ) end as rank_desc,
        count(value) over (
            partition by table_id, measure, period_code, dimensions
        ) as n_municipalities
    from municipalities
),

final as (
    select
        r.table_id,
        r.measure,
        r.period_code,
        r.period_type,
        r.period_start,
        r.period_end,
        r.dimensions,
        r.municipality_code,
        r.area_name,
        r.value,
        r.suppressed,
        r.rank_desc,
        r.n_municipalities,
        case
            when r.rank_desc is not null and r.n_municipalities > 1
                then cast(100 as double) * (r.n_municipalities - r.rank_desc)
                    / (r.n_municipalities - 1)
        end as percentile,
        n.national_value,
        r.value - n.national_value as diff_to_national
    from ranked as r
    left join national as n
        on r.table_id = n.table_id
        and r.measure = n.measure
        and r.period_code = n.period_code
        and r.dimensions = n.dimensions
)

select * from final
