-- Activities held (场次), pre-aggregated for the dashboard: one row per month,
-- reporting organization (attributed, as in agg_dashboard_cells), activity
-- type and source. `logs`: distinct activities of approved sessions (an
-- activity is its organization, date, type and title, DESIGN.md
-- events_logged), their sessions and minutes; `summaries`: approved event
-- summary rows after exact duplicates are removed, their headcount and
-- minutes. An activity falls in exactly one row, so every column adds up over
-- any dimension; person-level figures never come from here.
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

events as (
    select * from {{ ref('fct_event_summaries') }}
),

logged_activities as (
    select
        month,
        org_code,
        district_code,
        activity_type_code,
        activity_category,
        activity_date,
        activity_title,
        count(*) as person_times,
        sum(session_minutes) as minutes
    from sessions
    where status = 'approved'
    group by
        month,
        org_code,
        district_code,
        activity_type_code,
        activity_category,
        activity_date,
        activity_title
),

from_logs as (
    select
        month,
        org_code,
        district_code,
        activity_type_code,
        activity_category,
        'logs' as source,
        count(*) as events,
        sum(person_times) as person_times,
        sum(minutes) as minutes
    from logged_activities
    group by
        month, org_code, district_code, activity_type_code, activity_category
),

from_summaries as (
    select
        month,
        org_code,
        district_code,
        activity_type_code,
        activity_category,
        'summaries' as source,
        count(*) as events,
        sum(participants) as person_times,
        sum(event_minutes) as minutes
    from events
    group by
        month, org_code, district_code, activity_type_code, activity_category
),

final as (
    select
        month,
        org_code,
        district_code,
        activity_type_code,
        activity_category,
        source,
        events::bigint as events,
        person_times::bigint as person_times,
        minutes::bigint as minutes
    from from_logs
    union all
    select
        month,
        org_code,
        district_code,
        activity_type_code,
        activity_category,
        source,
        events::bigint as events,
        person_times::bigint as person_times,
        coalesce(minutes, 0)::bigint as minutes
    from from_summaries
)

select * from final
