{#
    Every column of the relation in scope but `columns` (a list of names):
    `* exclude (...)` on DuckDB, `* except (...)` on Spark.
#}
{% macro star_except(columns) %}
    {{- return(adapter.dispatch('star_except', 'volunteer_warehouse')(columns)) -}}
{% endmacro %}

{% macro default__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}
