{#
    Generic test: every non-null value of the column is a code of `code_list` in the seed
    code_labels (the one list of codes, shared with ingest and the reports' labels).
#}
{% test in_code_list(model, column_name, code_list) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
        and cast({{ column_name }} as varchar) not in (
            select code from {{ ref('code_labels') }} where code_list = '{{ code_list }}'
        )
{% endtest %}
