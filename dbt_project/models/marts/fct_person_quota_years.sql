-- One row per roster person, calendar year and quota of their person type
-- (quota_targets seed): the approved sessions and minutes of the year that
-- count towards the quota (its activity category and/or type, at any
-- organization), and whether the person met it. A person is in a year when
-- they were on the roster in at least one of its months, and counts in the
-- district and organization, and with the person type, of their roster
-- version in the last such month. The months are those of int_months_spanned,
-- so the first year starts with the first month with data: someone who left
-- before it is not in that year. Quotas are for the whole year: a person who
-- joined late in the year is held to the same target (not pro-rated), and the
-- current year is judged on the sessions so far (agg_quota_attainment flags
-- it as incomplete).
with

roster_months as (
    select * from {{ ref('int_person_months_rostered') }}
),

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

targets as (
    select * from {{ ref('quota_targets') }}
),

person_years as (
    select
        person_key,
        year(month_start) as year,
        max_by(district_code, month_start) as district_code,
        max_by(roster_org_code, month_start) as roster_org_code,
        max_by(person_type, month_start) as person_type
    from roster_months
    group by person_key, year(month_start)
),

people_in_scope as (
    select
        person_years.person_key,
        person_years.year,
        person_years.district_code,
        person_years.roster_org_code,
        person_years.person_type,
        targets.quota_code,
        targets.min_hours,
        targets.min_sessions
    from person_years
    inner join targets on person_years.person_type = targets.person_type_code
),

counted_sessions as (
    select
        sessions.person_key,
        targets.quota_code,
        year(sessions.activity_date) as year,
        count(*) as approved_sessions,
        sum(sessions.session_minutes)::bigint as approved_minutes
    from sessions
    inner join targets
        on
            (
                targets.activity_category is null
                or sessions.activity_category = targets.activity_category
            )
            and (
                targets.activity_type_code is null
                or sessions.activity_type_code = targets.activity_type_code
            )
    where sessions.status = 'approved'
    group by
        sessions.person_key, year(sessions.activity_date), targets.quota_code
),

final as (
    select
        people_in_scope.person_key,
        people_in_scope.year,
        people_in_scope.quota_code,
        people_in_scope.person_type,
        people_in_scope.district_code,
        people_in_scope.roster_org_code,
        people_in_scope.min_hours,
        people_in_scope.min_sessions,
        coalesce(counted_sessions.approved_sessions, 0) as approved_sessions,
        coalesce(counted_sessions.approved_minutes, 0) as approved_minutes,
        (
            people_in_scope.min_hours is null
            or coalesce(counted_sessions.approved_minutes, 0)
            >= people_in_scope.min_hours * 60
        )
        and (
            people_in_scope.min_sessions is null
            or coalesce(counted_sessions.approved_sessions, 0)
            >= people_in_scope.min_sessions
        ) as is_met
    from people_in_scope
    left join counted_sessions
        on
            people_in_scope.person_key = counted_sessions.person_key
            and people_in_scope.year = counted_sessions.year
            and people_in_scope.quota_code = counted_sessions.quota_code
)

select * from final
