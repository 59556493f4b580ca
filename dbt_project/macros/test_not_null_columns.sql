{# Generic test: none of `columns` is null; a failing row names the column and its null rows. #}
{% test not_null_columns(model, columns) %}
    {{ column_rows_where(model, columns, '{column} is null', 'null_rows') }}
{% endtest %}
