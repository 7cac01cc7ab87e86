{# Fails with the rows where a ratio lies outside [0, 1]; empty ratios pass. #}
{% test between_zero_and_one(model, column_name) %}
    select *
    from {{ model }}
    where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}
