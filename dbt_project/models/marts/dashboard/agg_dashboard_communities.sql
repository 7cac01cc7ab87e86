-- 双报到 (report-and-serve) communities: approved sessions that name the
-- community served, per community, reporting organization, month, person type
-- and activity type. Person-times and minutes only (they add up).
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

approved_with_community as (
    select
        sessions.community,
        sessions.org_code,
        sessions.district_code,
        sessions.month,
        sessions.activity_type_code,
        sessions.activity_category,
        sessions.session_minutes,
        -- the type in effect on the session's day (fct_volunteer_sessions)
        sessions.person_type
    from sessions
    where
        sessions.status = 'approved'
        and sessions.community is not null
        and trim(sessions.community) <> ''
),

final as (
    select
        community,
        org_code,
        district_code,
        month,
        person_type,
        activity_type_code,
        activity_category,
        count(*) as person_times,
        sum(session_minutes)::bigint as total_minutes
    from approved_with_community
    group by
        community,
        org_code,
        district_code,
        month,
        person_type,
        activity_type_code,
        activity_category
)

select * from final
