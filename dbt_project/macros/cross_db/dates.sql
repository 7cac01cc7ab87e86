{#
    Date expressions whose spelling differs between DuckDB and Spark. Each
    returns the same value on both engines; the DuckDB spelling is what the
    models used before they ran on Spark, so DuckDB builds are unchanged.
#}

{# A date's month as text, 'YYYY-MM'. #}
{% macro month_label(date_expr) %}
    {{- return(adapter.dispatch('month_label', 'volunteer_warehouse')(date_expr)) -}}
{% endmacro %}

{% macro default__month_label(date_expr) -%}
    strftime({{ date_expr }}, '%Y-%m')
{%- endmacro %}

{% macro spark__month_label(date_expr) -%}
    date_format({{ date_expr }}, 'yyyy-MM')
{%- endmacro %}

{# The month before a 'YYYY-MM' month, as 'YYYY-MM'. #}
{% macro previous_month_label(month_expr) %}
    {{- return(
        adapter.dispatch('previous_month_label', 'volunteer_warehouse')(month_expr)
    ) -}}
{% endmacro %}

{% macro default__previous_month_label(month_expr) -%}
    strftime(strptime({{ month_expr }}, '%Y-%m') - interval 1 month, '%Y-%m')
{%- endmacro %}

{% macro spark__previous_month_label(month_expr) -%}
    date_format(add_months(to_date({{ month_expr }}, 'yyyy-MM'), -1), 'yyyy-MM')
{%- endmacro %}

{#
    A table of dates from `start_expr` to `stop_expr` by `step` (an interval
    such as `interval 1 month`), to follow a comma in a FROM clause and take an
    alias with one column: `from span, {{ date_series(...) }} as days (day)`.
    The column is a timestamp on DuckDB and a date on Spark: cast it to date.
#}
{% macro date_series(start_expr, stop_expr, step) %}
    {{- return(
        adapter.dispatch('date_series', 'volunteer_warehouse')(start_expr, stop_expr, step)
    ) -}}
{% endmacro %}

{% macro default__date_series(start_expr, stop_expr, step) -%}
    generate_series({{ start_expr }}, {{ stop_expr }}, {{ step }})
{%- endmacro %}

{% macro spark__date_series(start_expr, stop_expr, step) -%}
    lateral explode(
        sequence(cast({{ start_expr }} as date), cast({{ stop_expr }} as date), {{ step }})
    )
{%- endmacro %}

{# ISO day of the week: 1 is Monday, 7 is Sunday. #}
{% macro iso_day_of_week(date_expr) %}
    {{- return(adapter.dispatch('iso_day_of_week', 'volunteer_warehouse')(date_expr)) -}}
{% endmacro %}

{% macro default__iso_day_of_week(date_expr) -%}
    isodow({{ date_expr }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expr) -%}
    (weekday({{ date_expr }}) + 1)
{%- endmacro %}

{# The English name of a date's weekday: Monday ... Sunday. #}
{% macro weekday_name_en(date_expr) %}
    {{- return(adapter.dispatch('weekday_name_en', 'volunteer_warehouse')(date_expr)) -}}
{% endmacro %}

{% macro default__weekday_name_en(date_expr) -%}
    dayname({{ date_expr }})
{%- endmacro %}

{% macro spark__weekday_name_en(date_expr) -%}
    date_format({{ date_expr }}, 'EEEE')
{%- endmacro %}
