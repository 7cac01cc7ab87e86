-- Every month the data can speak for: from the first month holding an activity
-- row (a session of any status) or a roster fact, to the month of the data
-- cut-off, or of the latest activity when that is later (`int_data_cutoff`,
-- span_end_date). A roster fact is a roster version's effective date: its
-- 生效日期, else the day its batch was loaded (`int_people_versions`); a
-- person's joined_date is not one (it says when they joined, not that the
-- roster was kept then, and would reach back decades). Before the first month
-- there is nothing to count, so the monthly marts, the calendar and the roster
-- months start there and their cost follows the data, not the years since
-- 2000. An empty lake (or one with organizations only) has the cut-off's month
-- alone. Monthly marts have a row for each month, so any period a report asks
-- for within them is read, never made up.
with

cutoff as (
    select * from {{ ref('int_data_cutoff') }}
),

activity_rows as (
    -- activity-log rows and event-summary rows (an activity held is data)
    select activity_date from {{ ref('int_activity_rows_selected') }}
    union all
    select activity_date from {{ ref('int_event_rows_selected') }}
),

people_versions as (
    select * from {{ ref('int_people_versions') }}
),

first_activity as (
    select min(activity_date) as first_activity_date
    from activity_rows
),

first_roster as (
    select min(effective_from) as first_roster_date
    from people_versions
),

span as (
    -- never after the last month: a roster dated later than the cut-off
    -- (AS_OF in the past) still leaves the cut-off's month
    select
        date_trunc(
            'month',
            least(
                coalesce(
                    first_activity.first_activity_date, cutoff.span_end_date
                ),
                coalesce(first_roster.first_roster_date, cutoff.span_end_date),
                cutoff.span_end_date
            )
        ) as first_month_start,
        date_trunc('month', cutoff.span_end_date) as last_month_start
    from cutoff
    cross join first_activity
    cross join first_roster
),

final as (
    select
        month_start::date as month_start,
        (month_start + interval 1 month - interval 1 day)::date as month_end,
        {{ month_label('month_start') }} as month
    from span,
        {{ date_series(
            'span.first_month_start',
            'span.last_month_start',
            'interval 1 month',
        ) }} as months (month_start)
)

select * from final
