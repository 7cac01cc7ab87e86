-- The dashboard's additive figures, pre-aggregated so a page never scans the
-- sessions: one row per reporting organization, month, person type and
-- activity type with its approved sessions (person-times) and minutes, and
-- the pending sessions reported beside them. Sums over any filter are exact
-- (counts and whole minutes add up); distinct people are never stored here,
-- they come from agg_dashboard_person_months.
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

sessions_typed as (
    select
        sessions.org_code,
        sessions.district_code,
        sessions.month,
        sessions.activity_type_code,
        sessions.activity_category,
        sessions.status,
        sessions.session_minutes,
        -- the type in effect on the session's day (fct_volunteer_sessions)
        sessions.person_type
    from sessions
    where sessions.status in ('approved', 'pending')
),

final as (
    select
        org_code,
        district_code,
        month,
        person_type,
        activity_type_code,
        activity_category,
        count(*) filter (where status = 'approved') as person_times,
        coalesce(
            sum(session_minutes) filter (where status = 'approved'), 0
        )::bigint as total_minutes,
        count(*) filter (where status = 'pending') as pending_sessions
    from sessions_typed
    group by
        org_code,
        district_code,
        month,
        person_type,
        activity_type_code,
        activity_category
)

select * from final
