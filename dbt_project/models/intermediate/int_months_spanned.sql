-- Every month in which a session could exist: from 2000-01 (the earliest date
-- ingest accepts) to the month of the data cut-off (`as_of`, else the newest
-- batch's load time). Monthly marts have a row for each, so any period a report
-- asks for is read, never made up.
with

batches as (
    select * from {{ ref('int_batches_selected') }}
),

cutoff as (
    select
        coalesce(
            {% if var('as_of') -%}
                '{{ var("as_of") }}'::timestamp,
            {%- endif %}
            max(loaded_at),
            current_timestamp::timestamp
        )::date as cutoff_date
    from batches
),

final as (
    select
        month_start::date as month_start,
        (month_start + interval 1 month - interval 1 day)::date as month_end,
        strftime(month_start, '%Y-%m') as month
    from cutoff,
        generate_series(
            date '2000-01-01',
            date_trunc('month', cutoff_date),
            interval 1 month
        ) as months (month_start)
)

select * from final
