{#
    The text of one key of a JSON object (a reject's raw_values), or null when
    the object has no such key. Keys here are headers as written in a file.
#}
{% macro json_text(json_expr, key) %}
    {{- return(adapter.dispatch('json_text', 'volunteer_warehouse')(json_expr, key)) -}}
{% endmacro %}

{% macro default__json_text(json_expr, key) -%}
    json_extract_string({{ json_expr }}, '$."{{ key }}"')
{%- endmacro %}

{% macro spark__json_text(json_expr, key) -%}
    get_json_object(cast({{ json_expr }} as string), '$[\'{{ key }}\']')
{%- endmacro %}
