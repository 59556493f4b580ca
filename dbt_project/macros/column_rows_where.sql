{#
    One row per column of `columns` that has rows where `condition` holds (`{column}` in it
    stands for the column): the column's name and the number of those rows (as `count_name`).
    The body of the model-level column tests (not_null_columns, non_negative_columns): one query
    per model instead of one dbt test per column, since dbt's own cost per test (~40 ms of
    Python) is more than DuckDB needs to scan a mart.
#}
{% macro column_rows_where(model, columns, condition, count_name) %}
    {% for column in columns %}
    select '{{ column }}' as column_name, count(*) as {{ count_name }}
    from {{ model }}
    where {{ condition | replace('{column}', column) }}
    having count(*) > 0
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endmacro %}
