-- Every roster person for every month they were on the roster, in the
-- district of their roster organization, with their approved sessions of that
-- month anywhere (any organization). Participation over any period is computed
-- from here: the roster people of a unit in the period are those with a row in
-- one of its months, and the active ones those with a session in one of them.
with

roster_months as (
    select * from {{ ref('int_person_months_rostered') }}
),

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

approved_by_month as (
    select
        person_key,
        month,
        count(*) as approved_sessions,
        sum(session_minutes) as approved_minutes
    from sessions
    where status = 'approved'
    group by person_key, month
),

final as (
    select
        roster_months.person_key,
        roster_months.month,
        roster_months.roster_org_code,
        roster_months.district_code,
        roster_months.person_type,
        coalesce(approved_by_month.approved_sessions, 0) as approved_sessions,
        coalesce(approved_by_month.approved_minutes, 0) as approved_minutes,
        approved_by_month.person_key is not null as is_active
    from roster_months
    left join approved_by_month
        on
            roster_months.person_key = approved_by_month.person_key
            and roster_months.month = approved_by_month.month
)

select * from final
