-- Sessions whose person is on no roster, per reporting organization and month
-- (every status): people identified only by a number no roster lists, or by a
-- person number the rosters do not have. Their hours still count; the list
-- tells the analyst whom to add to a roster. Names are the names on the
-- sessions (kept for leaders).
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

sessions_off_roster as (
    select sessions.*
    from sessions
    inner join people on sessions.person_key = people.person_key
    where not people.is_on_roster
),

final as (
    select
        org_code,
        district_code,
        month,
        count(*) as sessions,
        count(*) filter (where status = 'approved') as approved_sessions,
        coalesce(
            sum(session_minutes) filter (where status = 'approved'), 0
        )::bigint as approved_minutes,
        count(distinct person_key) as persons,
        count(*) filter (where identified_by = 'unmatched')
            as unmatched_sessions,
        {{ sorted_list("coalesce(person_name, '(无姓名)')", distinct=true) }}
            as person_names
    from sessions_off_roster
    group by org_code, district_code, month
)

select * from final
