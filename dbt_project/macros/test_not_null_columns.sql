{#
    Generic test: none of `columns` is null. One query per model instead of one dbt test per
    column (dbt's own cost per test is ~40 ms of Python, more than DuckDB needs to scan a mart);
    a failing row names the column and its null rows.
#}
{% test not_null_columns(model, columns) %}
    {% for column in columns %}
    select '{{ column }}' as column_name, count(*) as null_rows
    from {{ model }}
    where {{ column }} is null
    having count(*) > 0
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endtest %}
