{#
    Fails with each pair of rows whose closed ranges
    [lower_bound_column, upper_bound_column] share a point, within the same
    values of `partition_by` (a list of columns, may be empty), and with each
    row whose lower bound lies after its upper bound. Used for calendar
    periods, where two overlapping terms would give a date two terms.
#}
{% test not_overlapping_ranges(
    model, lower_bound_column, upper_bound_column, partition_by=[]
) %}
    with

    ranges as (
        select
            {% for column in partition_by %}{{ column }}, {% endfor %}
            {{ lower_bound_column }} as lower_bound,
            {{ upper_bound_column }} as upper_bound,
            -- any order numbers the rows; Spark wants one
            row_number() over (
                order by {{ lower_bound_column }}, {{ upper_bound_column }}
            ) as range_number
        from {{ model }}
    ),

    inverted as (
        select
            range_number as first_range,
            null::bigint as second_range,
            lower_bound,
            upper_bound
        from ranges
        where lower_bound > upper_bound
    ),

    overlapping as (
        select
            earlier.range_number as first_range,
            later.range_number as second_range,
            later.lower_bound,
            earlier.upper_bound
        from ranges as earlier
        inner join ranges as later
            on
                earlier.range_number < later.range_number
                {% for column in partition_by %}
                    and earlier.{{ column }} is not distinct from later.{{ column }}
                {% endfor %}
                and earlier.lower_bound <= later.upper_bound
                and later.lower_bound <= earlier.upper_bound
    )

    select * from inverted
    union all
    select * from overlapping
{% endtest %}
