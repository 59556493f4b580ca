{#
    Generic test: no two rows share the same values in `columns`. Unlike a concatenated key,
    GROUP BY treats NULLs as one value, so a null benefit_group is its own grain member.
#}
{% test unique_grain(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
