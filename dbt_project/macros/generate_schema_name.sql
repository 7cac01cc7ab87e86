{# Schemas are named for the layer alone (staging, intermediate, marts, seeds),
   not prefixed with the target schema. On DuckDB the marts are the `main`
   schema of their own database file (generate_database_name.sql), which the
   publish step copies whole into a snapshot; on Spark they are `marts`. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif custom_schema_name | trim == 'marts'
        and target.type == 'duckdb' -%}
        main
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
