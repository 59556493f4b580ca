{# The build's reference date: nothing after it is observed (docs/domain.md §5). #}
{% macro as_of() -%}
    cast('{{ var("as_of") }}' as date)
{%- endmacro %}
