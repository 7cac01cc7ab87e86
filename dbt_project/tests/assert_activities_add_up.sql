-- Activities held are counted once, the same in every mart: per district and
-- month, agg_district_monthly's events_logged equals the activities of the
-- logs in agg_dashboard_events, and its events_reported, reported person-
-- times and minutes equal those of the summaries there and of
-- fct_event_summaries (approved summary rows after exact duplicates are
-- removed). Returns the district-months that differ.
with

districts as (
    select
        district_code,
        month,
        events_logged,
        events_reported,
        reported_person_times,
        reported_minutes
    from {{ ref('agg_district_monthly') }}
),

dashboard as (
    select
        district_code,
        month,
        coalesce(sum(events) filter (where source = 'logs'), 0) as logged,
        coalesce(sum(events) filter (where source = 'summaries'), 0)
            as reported,
        coalesce(sum(person_times) filter (where source = 'summaries'), 0)
            as person_times,
        coalesce(sum(minutes) filter (where source = 'summaries'), 0)
            as minutes
    from {{ ref('agg_dashboard_events') }}
    group by district_code, month
),

summaries as (
    select
        district_code,
        month,
        count(*) as reported,
        sum(participants) as person_times,
        sum(event_minutes) as minutes
    from {{ ref('fct_event_summaries') }}
    group by district_code, month
)

select
    districts.events_logged,
    dashboard.logged,
    districts.events_reported,
    dashboard.reported,
    summaries.reported as summary_rows,
    coalesce(districts.district_code, dashboard.district_code) as district_code,
    coalesce(districts.month, dashboard.month) as month
from districts
full outer join dashboard
    on
        districts.district_code = dashboard.district_code
        and districts.month = dashboard.month
left join summaries
    on
        coalesce(districts.district_code, dashboard.district_code)
        = summaries.district_code
        and coalesce(districts.month, dashboard.month) = summaries.month
where
    districts.district_code is null
    or coalesce(dashboard.logged, 0) <> districts.events_logged
    or coalesce(dashboard.reported, 0) <> districts.events_reported
    or coalesce(dashboard.person_times, 0) <> districts.reported_person_times
    or coalesce(dashboard.minutes, 0) <> districts.reported_minutes
    or coalesce(summaries.reported, 0) <> districts.events_reported
    or coalesce(summaries.person_times, 0) <> districts.reported_person_times
    or coalesce(summaries.minutes, 0) <> districts.reported_minutes
