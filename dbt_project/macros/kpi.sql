{#
    A fct_kpi percentage over rows of one relation (int_kpi_values): per scope and period, the
    rows whose `date_col` falls in the period, by the row's org_unit_id; numerator = rows where
    `flag_col` is true, denominator = all of them, persons = distinct person_key. Expects the
    CTEs `periods` and `scope_units` of int_kpi_values.
#}
{% macro kpi_share_of_rows(kpi, relation, date_col, flag_col) -%}
    select
        '{{ kpi }}' as kpi,
        scope_units.scope_type,
        scope_units.scope_id,
        periods.period_type,
        periods.period_start,
        count(*) filter (where {{ relation }}.{{ flag_col }}) as numerator,
        count(*) as denominator,
        100.0 * count(*) filter (where {{ relation }}.{{ flag_col }}) / count(*) as value,
        count(distinct {{ relation }}.person_key) as persons
    from periods
    inner join {{ relation }}
        on {{ relation }}.{{ date_col }} between periods.period_start and periods.period_end
    inner join scope_units on scope_units.org_unit_id = {{ relation }}.org_unit_id
    group by all
{%- endmacro %}
