{#
    Generic test: every column test of one model, seed or source table whose kind is in the var
    `column_rule_kinds` (dbt_project.yml), as one query. A warehouse build runs this test in
    their place (orchestration/assets/dbt.py leaves those kinds out): dbt spends ~35 ms of Python
    on every test node, more than DuckDB needs to check a mart, and ~120 such nodes were half of
    the demo's dbt step. The column tests stay declared where readers look for them, next to each
    column, and `make test` runs them one by one (tests/e2e/test_all_data_tests.py).
    Its only parent is its table, so that, as the single tests did, its failure stops dbt before
    the models downstream of the table (dbt's build lets a test hold back a node only when all
    the test's parents are upstream of it); in_code_list, which also reads the seed code_labels,
    therefore stays a test of its own. The same rules in the same SQL as the single tests; a
    failing row names the test (its dbt name) and its failure count as that test reports it
    (rows, or duplicated values, bad values or failing columns).
#}
{% test column_rules(model) %}
    {%- set parts = [] -%}
    {%- if execute -%}
        {%- set tested = column_rules_tested_node(model) -%}
        {#- filters, not a loop over every node: a jinja loop body costs more than the test -#}
        {%- set tests = graph.nodes.values() | selectattr('resource_type', 'equalto', 'test')
                        | selectattr('test_metadata')
                        | selectattr('test_metadata.name', 'in', var('column_rule_kinds')) -%}
        {#- a source's test has no attached node: it is the source's when it reads the source -#}
        {%- for test in tests if test.attached_node == tested
                                 or (not test.attached_node and tested in test.depends_on.nodes) -%}
            {%- do parts.append(column_rule_sql(test, model)) -%}
        {%- endfor -%}
    {%- endif %}
    {% if parts -%}
    {{ parts | join('\nunion all\n') }}
    {%- else -%}
    select null::varchar as test_name, 0::bigint as failures where false
    {%- endif %}
{% endtest %}

{# The unique_id of the model, seed or source whose relation `model` is. #}
{% macro column_rules_tested_node(model) %}
    {%- set same = (graph.nodes.values() | list) + (graph.sources.values() | list) -%}
    {%- for node in same | selectattr('schema', 'equalto', model.schema) -%}
        {%- if node.resource_type in ('model', 'seed', 'source')
               and (node.identifier or node.alias or node.name) == model.identifier -%}
            {{ return(node.unique_id) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("column_rules: no model, seed or source is " ~ model) }}
{% endmacro %}

{# One test's failure count as (test_name, failures), a row only when it fails. #}
{% macro column_rule_sql(test, model) %}
    {%- set kind = test.test_metadata.name -%}
    {%- set args = test.test_metadata.kwargs -%}
    {%- set column = args.get('column_name') -%}
    {%- set where = test.config.get('where') -%}
    {%- set rows -%}
        {%- if where -%}(select * from {{ model }} where {{ where }}){%- else -%}{{ model }}{%- endif -%}
    {%- endset -%}
    {%- if kind == 'not_null' -%}
        {%- set failing = 'select 1 from ' ~ rows ~ ' as t where ' ~ column ~ ' is null' -%}
    {%- elif kind == 'unique' -%}
        {%- set failing = 'select ' ~ column ~ ' from ' ~ rows ~ ' as t where ' ~ column
            ~ ' is not null group by ' ~ column ~ ' having count(*) > 1' -%}
    {%- elif kind == 'accepted_values' -%}
        {%- set quote = args.get('quote', true) -%}
        {%- set listed = [] -%}
        {%- for value in args['values'] -%}
            {%- do listed.append("'" ~ value ~ "'" if quote else value | string) -%}
        {%- endfor -%}
        {%- set failing = 'select ' ~ column ~ ' from ' ~ rows ~ ' as t where ' ~ column
            ~ ' not in (' ~ listed | join(', ') ~ ') group by ' ~ column -%}
    {%- elif kind in ('not_null_columns', 'non_negative_columns') -%}
        {%- set condition = '{column} is null' if kind == 'not_null_columns' else '{column} < 0' -%}
        {%- set failing = column_rows_where(rows, args['columns'], condition, 'n') -%}
    {%- elif kind == 'unique_grain' -%}
        {%- set grain = args['columns'] | join(', ') -%}
        {%- set failing = 'select ' ~ grain ~ ' from ' ~ rows ~ ' as t group by ' ~ grain
            ~ ' having count(*) > 1' -%}
    {%- endif -%}
    select '{{ test.name }}' as test_name, count(*) as failures
    from ({{ failing }}) as failing
    having count(*) > 0
{%- endmacro %}
