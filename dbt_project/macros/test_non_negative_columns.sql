{#
    Generic test: none of `columns` is below zero (nulls are left to not_null_columns). One
    query per model, as not_null_columns and for the same reason (dbt's own cost per test is
    more than DuckDB needs to scan a mart); a failing row names the column and its negative rows.
#}
{% test non_negative_columns(model, columns) %}
    {% for column in columns %}
    select '{{ column }}' as column_name, count(*) as negative_rows
    from {{ model }}
    where {{ column }} < 0
    having count(*) > 0
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endtest %}
