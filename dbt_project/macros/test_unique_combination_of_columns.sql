{#
    Fails with one row per combination of `combination_of_columns` that occurs
    more than once: the grain test of a table whose key is several columns
    (after dbt-utils' test of the same name, which we cannot install here).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns = combination_of_columns | join(', ') %}
    select
        {{ columns }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns }}
    having count(*) > 1
{% endtest %}
