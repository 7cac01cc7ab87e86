-- The data cut-off of a build, as python -m publish decided it
-- (publish/selection.py: `as_of` when given, else the load time of the newest
-- batch, else now) and handed it over in the environment (DBT_AS_OF), not as
-- a dbt var: a var that changes makes dbt parse the whole project again, an
-- env var only the files that read it. Without it (dbt run by hand) the
-- cut-off is null, and this model's not_null test stops the build. Months,
-- dates and "is this period complete" all end here.
-- span_end_date is where the calendar of the marts ends: the cut-off's date,
-- or the latest activity date when that is later. Load times are UTC while
-- ingest accepts dates up to the local "today": a file loaded at 07:00 on the
-- 1st in China (23:00 UTC the day before) may carry that day's sessions, and
-- without this their month would have no row in the monthly marts.
with

activity_rows as (
    -- activity-log rows and event-summary rows (an activity held is data)
    select activity_date from {{ ref('int_activity_rows_selected') }}
    union all
    select activity_date from {{ ref('int_event_rows_selected') }}
),

cutoff as (
    select
        nullif(
            '{{ env_var("DBT_AS_OF", "") }}', ''
        )::timestamp as cutoff_at
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
