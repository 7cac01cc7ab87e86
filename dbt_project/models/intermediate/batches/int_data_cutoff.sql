-- The data cut-off of a build, as python -m publish decided it
-- (publish/selection.py: `as_of` when given, else the load time of the newest
-- batch, else now) and handed it over in a file (build/cutoff.jsonl, the
-- `build` source `cutoff`), not as a var or an env var: dbt parses again
-- whatever reads one of those when it changes, and it changes every build.
-- Without the file (dbt run by hand) the build fails; an empty cut-off is
-- null, and this model's not_null rule stops the build. Months, dates and
-- "is this period complete" all end here.
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
    select max(nullif(cutoff_at, ''))::timestamp as cutoff_at
    from {{ source('build', 'cutoff') }}
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
