{# The build's reference date: nothing after it is observed (DOMAIN.md §5). #}
{% macro as_of() -%}
    cast('{{ var("as_of") }}' as date)
{%- endmacro %}
