{#
    Seeds on Spark. dbt-spark's session method writes each CSV value into the
    INSERT as '<value>' without escaping, so an apostrophe ("the demo's
    calendar") breaks the statement and an empty cell loads as the string
    'None'. This writes each value as a literal instead: an empty cell is
    null, a string is quoted with its quotes and backslashes escaped, so the
    seeds load on Spark exactly as DuckDB loads them.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) %}
    {%- set statements = [] %}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) %}
        {%- set sql %}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
                (
                {%- for col_name in agate_table.column_names -%}
                    {%- set inferred = adapter.convert_type(agate_table, loop.index0) -%}
                    cast({{ spark_seed_literal(row[loop.index0]) }}
                    as {{ column_override.get(col_name, inferred) }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
                ){%- if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endset %}
        {%- do adapter.add_query(sql, abridge_sql_log=True) %}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif %}
    {%- endfor %}
    {{ return(statements[0]) }}
{% endmacro %}

{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ value | string | lower }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
