{# Generic test: the model has exactly `expected` rows (e.g. one-row rule and build tables). #}
{% test row_count_is(model, expected) %}
    select count(*) as n_rows
    from {{ model }}
    having count(*) <> {{ expected }}
{% endtest %}
