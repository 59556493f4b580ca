-- Every period of every jobindsats series (table × measure × dimensions × period type) with
-- Hele landet's value, for the benchmark report's development table and chart: the periods in
-- which Hele landet or any municipality has a row (docs/domain.md §5.7). period_label and
-- report_period_code give every period type one style ('2025', '2025Q3', '2025-11', …).
with facts as (
    select * from {{ ref('fct_jobindsats') }}
),

national as (
    select table_id, measure, dimensions, period_type, period_code, value as national_value
    from facts
    where area_level = 'land'
    qualify row_number() over (
        partition by table_id, measure, dimensions, period_type, period_code
        order by source_file desc, area_name
    ) = 1
),

periods as (
    select distinct table_id, measure, dimensions, period_type, period_code, period_start,
        period_end
    from facts
    where area_level in ('land', 'kommune')
),

final as (
    select
        periods.table_id,
        periods.measure,
        periods.dimensions,
        periods.period_type,
        periods.period_code,
        periods.period_start,
        periods.period_end,
        case periods.period_type
            when 'year' then strftime(periods.period_start, '%Y')
            when 'quarter' then strftime(periods.period_start, '%Y') || 'Q'
                || cast(quarter(periods.period_start) as varchar)
            when 'month' then strftime(periods.period_start, '%Y-%m')
            when 'qmat' then strftime(periods.period_end, '%Y') || 'Q'
                || cast(quarter(periods.period_end) as varchar) || '-12M'
            when 'mytd' then strftime(periods.period_end, '%Y') || '-01..'
                || strftime(periods.period_end, '%m')
            else periods.period_code
        end as report_period_code,
        national.national_value
    from periods
    left join national
        on national.table_id = periods.table_id
        and national.measure = periods.measure
        and national.dimensions = periods.dimensions
        and national.period_type = periods.period_type
        and national.period_code = periods.period_code
)

select * from final
