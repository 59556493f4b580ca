{#- Tables and views in one statement each: CREATE OR REPLACE and the model's documentation as
    DuckDB comments, sent to DuckDB as one batch in the model's transaction.

    dbt-duckdb's own materializations build an intermediate relation and swap it in (two renames,
    a drop, two column look-ups for the comments, checks for foreign keys, indexes and grants):
    about ten statements per model, and dbt's Python around each statement costs far more than
    DuckDB's work at municipality size (docs/decisions/performance.md). A build writes a private
    copy of the warehouse that no one reads before it is published (orchestration/publish.py), so
    the swap protects no reader, and the project uses none of those features.

    A documented column that the model does not return fails the model (dbt's own persist_docs
    would skip it with a warning): the documentation must describe the table as built. -#}

{% macro lean_doc_comments(relation, model) -%}
  {%- if model.description %}
    comment on {{ relation.type }} {{ relation }} is {{ duckdb_escape_comment(model.description) }};
  {%- endif %}
  {%- for name, column in model.columns.items() if column.description %}
    comment on column {{ relation }}.{{ adapter.quote(name) if column.quote else name }} is {{ duckdb_escape_comment(column.description) }};
  {%- endfor %}
{%- endmacro %}

{#- The whole materialization of a `kind` ("table" or "view"); `return`s its relations. -#}
{% macro lean_materialize(kind) -%}
  {%- set target = this.incorporate(type=kind) -%}
  {%- set existing = load_cached_relation(target) -%}
  {{ run_hooks(pre_hooks) }}
  {% call statement("main") -%}
    {%- if existing is not none and existing.type != kind %}
    drop {{ existing.type }} {{ existing }};
    {%- endif %}
    create or replace {{ kind }} {{ target }} as (
      {{ compiled_code }}
    );
    {{ lean_doc_comments(target, model) }}
  {%- endcall %}
  {{ run_hooks(post_hooks) }}
  {{ adapter.commit() }}
  {{ return({"relations": [target]}) }}
{%- endmacro %}

{% materialization table, adapter="duckdb" %}
  {{ return(lean_materialize("table")) }}
{% endmaterialization %}

{% materialization view, adapter="duckdb" %}
  {{ return(lean_materialize("view")) }}
{% endmaterialization %}
