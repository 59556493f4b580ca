{#
    Generic test: none of `columns` is below zero (nulls are left to not_null_columns); a failing
    row names the column and its negative rows.
#}
{% test non_negative_columns(model, columns) %}
    {{ column_rows_where(model, columns, '{column} < 0', 'negative_rows') }}
{% endtest %}
