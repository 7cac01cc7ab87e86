{#
    dbt's own test materialization (called as it is, so every test runs and
    counts as before: fail_calc, warn_if, error_if, severities), and then,
    for a column_rules test (macros/test_column_rules.sql) or a group of
    them (macros/column_rules_groups.sql, tagged column_rules_group) that
    found rows, a second look at those rows that logs one line per model,
    rule and column that failed, e.g.

        fct_volunteer_sessions: not_negative (session_minutes), 1 row, e.g. -5

    dbt's failure message says only how many rows a test found; one
    column_rules test holds all the rules of a model, so these lines say
    which rules the rows broke. A test that passes costs nothing more.
#}
{%- materialization test, default -%}
    {%- set result = dbt.materialization_test_default() %}
    {%- if model.test_metadata and model.test_metadata.name == 'column_rules'
        or 'column_rules_group' in model.tags %}
        {%- set failures = load_result('main')['table'].rows[0][0] %}
        {%- if failures and failures | int > 0 %}
            {{ log_failed_rules() }}
        {%- endif %}
    {%- endif %}
    {{ return(result) }}
{%- endmaterialization -%}

{% macro log_failed_rules() %}
    {#- the model the test is on, or the source table #}
    {%- if model.attached_node %}
        {%- set model_name = model.attached_node.split('.')[-1] %}
    {%- elif model.sources %}
        {%- set model_name = model.sources[0] | join('.') %}
    {%- else %}
        {%- set model_name = model.name %}
    {%- endif %}
    {%- call statement('failed_rules', fetch_result=True) -%}
        select
            rule_name,
            column_name,
            count(*) as failing_rows,
            min(failing_value) as example,
            coalesce(model_name, {{ rule_literal(model_name) }}) as model_name
        from ({{ sql }}) as violations
        group by coalesce(model_name, {{ rule_literal(model_name) }}), rule_name, column_name
        order by 5, rule_name, column_name
    {%- endcall %}
    {%- for row in load_result('failed_rules')['table'].rows %}
        {%- set rows = row[2] | int %}
        {%- do log(
            row[4] ~ ': ' ~ row[0] ~ ' (' ~ row[1] ~ '), '
            ~ rows ~ (' row' if rows == 1 else ' rows')
            ~ (', e.g. ' ~ row[3] if row[3] is not none else ''),
            info=True
        ) %}
    {%- endfor %}
{% endmacro %}
