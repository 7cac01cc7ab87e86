{#
    Fails with each gap in a date column meant to hold every day of a span
    (a calendar): the date after which days are missing, the next date
    present, and how many days lie between. Also fails on repeated dates.
#}
{% test sequential_dates(model, column_name) %}
    with

    dates as (
        select
            {{ column_name }} as this_date,
            lead({{ column_name }}) over (
                order by {{ column_name }}
            ) as next_date
        from {{ model }}
    )

    select
        this_date,
        next_date,
        {{ dbt.datediff('this_date', 'next_date', 'day') }} as days_to_next
    from dates
    where
        next_date is not null
        and {{ dbt.datediff('this_date', 'next_date', 'day') }} <> 1
{% endtest %}
