{# Fails with the rows where the column is below zero (counts, minutes). #}
{% test not_negative(model, column_name) %}
    select *
    from {{ model }}
    where {{ column_name }} < 0
{% endtest %}
