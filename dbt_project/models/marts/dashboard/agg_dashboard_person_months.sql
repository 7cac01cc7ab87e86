-- The finest grain the dashboard counts people from: one row per person,
-- reporting organization, month, activity category and person type (the one
-- in effect on the session's day) with approved sessions. Distinct volunteers
-- over any range of months and any filter are counted from here (never by
-- adding monthly distinct counts), as are the hours distribution, the
-- leaderboard, new and retained volunteers and a person's own history.
-- first_active_month is the person's first month with an approved session
-- anywhere, so "new in the period" needs no scan.
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

approved as (
    select
        sessions.person_key,
        sessions.org_code,
        sessions.district_code,
        sessions.month,
        sessions.activity_category,
        sessions.session_minutes,
        -- the type in effect on the session's day (fct_volunteer_sessions)
        sessions.person_type
    from sessions
    where sessions.status = 'approved'
),

grouped as (
    select
        person_key,
        org_code,
        district_code,
        month,
        activity_category,
        person_type,
        count(*) as person_times,
        sum(session_minutes)::bigint as total_minutes
    from approved
    group by
        person_key,
        org_code,
        district_code,
        month,
        activity_category,
        person_type
),

final as (
    select
        person_key,
        org_code,
        district_code,
        month,
        activity_category,
        person_type,
        person_times,
        total_minutes,
        min(month) over (partition by person_key) as first_active_month
    from grouped
)

select * from final
