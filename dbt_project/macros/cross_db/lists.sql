{#
    Lists (DuckDB) and arrays (Spark): aggregates into a list, and the few list
    functions the data-quality marts use. Each gives the same list on both
    engines; the DuckDB spelling is the one the models had before.
#}

{# The values of a group as a sorted list (distinct=true: each value once). #}
{% macro sorted_list(expr, distinct=false) %}
    {{- return(
        adapter.dispatch('sorted_list', 'volunteer_warehouse')(expr, distinct)
    ) -}}
{% endmacro %}

{% macro default__sorted_list(expr, distinct) -%}
    list_sort(list({% if distinct %}distinct {% endif %}{{ expr }}))
{%- endmacro %}

{% macro spark__sorted_list(expr, distinct) -%}
    array_sort({% if distinct %}collect_set{% else %}collect_list{% endif %}({{ expr }}))
{%- endmacro %}

{# The first `n` values of a group in the order of `order_by_expr`, as a list. #}
{% macro first_values(expr, order_by_expr, n) %}
    {{- return(
        adapter.dispatch('first_values', 'volunteer_warehouse')(expr, order_by_expr, n)
    ) -}}
{% endmacro %}

{% macro default__first_values(expr, order_by_expr, n) -%}
    list_slice(list({{ expr }} order by {{ order_by_expr }}), 1, {{ n }})
{%- endmacro %}

{% macro spark__first_values(expr, order_by_expr, n) -%}
    slice(
        transform(
            array_sort(collect_list(struct({{ order_by_expr }} as k, {{ expr }} as v))),
            item -> item.v
        ),
        1,
        {{ n }}
    )
{%- endmacro %}

{# An empty list of strings. #}
{% macro empty_string_list() %}
    {{- return(adapter.dispatch('empty_string_list', 'volunteer_warehouse')()) -}}
{% endmacro %}

{% macro default__empty_string_list() -%}
    []
{%- endmacro %}

{% macro spark__empty_string_list() -%}
    cast(array() as array<string>)
{%- endmacro %}

{# The number of items of a list. #}
{% macro list_length(expr) %}
    {{- return(adapter.dispatch('list_length', 'volunteer_warehouse')(expr)) -}}
{% endmacro %}

{% macro default__list_length(expr) -%}
    len({{ expr }})
{%- endmacro %}

{% macro spark__list_length(expr) -%}
    size({{ expr }})
{%- endmacro %}

{# Item `index_expr` (1 is the first) of a list of string literals. #}
{% macro list_item(items, index_expr) %}
    {{- return(
        adapter.dispatch('list_item', 'volunteer_warehouse')(items, index_expr)
    ) -}}
{% endmacro %}

{% macro default__list_item(items, index_expr) -%}
    [{% for item in items %}'{{ item }}'{% if not loop.last %}, {% endif %}{% endfor %}][
        {{ index_expr }}
    ]
{%- endmacro %}

{% macro spark__list_item(items, index_expr) -%}
    element_at(
        array({% for item in items %}'{{ item }}'{% if not loop.last %}, {% endif %}{% endfor %}),
        {{ index_expr }}
    )
{%- endmacro %}

{#
    The values of a group joined by `delimiter` (a SQL string literal) in the
    order of `order_by` (e.g. `depth desc`). dbt.listagg would do, but its Spark
    version ignores the order.
#}
{% macro ordered_string_agg(expr, delimiter, order_by) %}
    {{- return(
        adapter.dispatch('ordered_string_agg', 'volunteer_warehouse')(expr, delimiter, order_by)
    ) -}}
{% endmacro %}

{% macro default__ordered_string_agg(expr, delimiter, order_by) -%}
    string_agg({{ expr }}, {{ delimiter }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(expr, delimiter, order_by) -%}
    string_agg({{ expr }}, {{ delimiter }}) within group (order by {{ order_by }})
{%- endmacro %}
