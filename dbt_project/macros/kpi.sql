{#
    A fct_kpi percentage over rows of one relation (int_kpi_values): per scope and period, the
    rows whose `date_col` falls in the period, by the row's org_unit_id; numerator = rows where
    `flag_col` is true, denominator = all of them, persons = distinct person_key. Expects the
    CTEs `periods` and `scope_units` of int_kpi_values.
#}
{% macro kpi_share_of_rows(kpi, relation, date_col, flag_col) -%}
    select
        '{{ kpi }}' as kpi,
        scope_type,
        scope_id,
        period_type,
        period_start,
        sum(flagged_rows) as numerator,
        sum(all_rows) as denominator,
        100.0 * sum(flagged_rows) / sum(all_rows) as value,
        count(*) as persons
    from (
        -- per person first, then per scope and period: a plain aggregate spills to disk when
        -- it does not fit, a grouped count(distinct) does not
        select
            scope_units.scope_type,
            scope_units.scope_id,
            periods.period_type,
            periods.period_start,
            {{ relation }}.person_key,
            count(*) filter (where {{ relation }}.{{ flag_col }}) as flagged_rows,
            count(*) as all_rows
        from periods
        inner join {{ relation }}
            on {{ relation }}.{{ date_col }} between periods.period_start and periods.period_end
        inner join scope_units on scope_units.org_unit_id = {{ relation }}.org_unit_id
        group by all
    )
    group by all
{%- endmacro %}
