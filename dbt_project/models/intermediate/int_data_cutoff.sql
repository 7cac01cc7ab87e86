-- The data cut-off of a build, defined once: `as_of` (DBT_AS_OF, see
-- int_batches_selected) when given, else the load
-- time of the newest batch the build reads, else (an empty lake) now. Months,
-- dates and "is this period complete" all end here.
-- span_end_date is where the calendar of the marts ends: the cut-off's date,
-- or the latest activity date when that is later. Load times are UTC while
-- ingest accepts dates up to the local "today": a file loaded at 07:00 on the
-- 1st in China (23:00 UTC the day before) may carry that day's sessions, and
-- without this their month would have no row in the monthly marts.
with

batches as (
    select * from {{ ref('int_batches_selected') }}
),

activity_rows as (
    select * from {{ ref('int_activity_rows_selected') }}
),

cutoff as (
    select
        coalesce(
            {% if env_var('DBT_AS_OF', '') -%}
                '{{ env_var("DBT_AS_OF") }}'::timestamp,
            {%- endif %}
            max(loaded_at),
            current_timestamp::timestamp
        ) as cutoff_at
    from batches
),

last_activity as (
    select max(activity_date) as last_activity_date
    from activity_rows
),

final as (
    select
        cutoff.cutoff_at,
        cutoff.cutoff_at::date as cutoff_date,
        greatest(
            cutoff.cutoff_at::date,
            coalesce(last_activity.last_activity_date, cutoff.cutoff_at::date)
        ) as span_end_date
    from cutoff
    cross join last_activity
)

select * from final
