{# The marts (`+database: marts` in dbt_project.yml) on DuckDB: the database
   file profiles.yml attaches as `marts` (WAREHOUSE_DIR/build/marts.duckdb),
   so that a snapshot is a copy of one file (publish/snapshot.py). Every
   other model, and every model on Spark (which has no databases), is in the
   target's own database. #}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {%- if custom_database_name is not none and target.type == 'duckdb' -%}
        {{ custom_database_name | trim }}
    {%- else -%}
        {{ target.database }}
    {%- endif -%}
{%- endmacro %}
