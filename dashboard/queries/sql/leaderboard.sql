-- The volunteers with the most minutes (the limit is bound last), each with
-- their main unit: where they gave the most minutes (ties: the lowest code).
with

{{ params_ctes() }},

{{ person_months_cte() }},

by_person_org as (
    select
        person_key,
        org_code,
        sum(total_minutes) as total_minutes,
        sum(person_times) as person_times,
        bool_or(person_type = 'student') as was_student
    from person_months
    group by person_key, org_code
),

by_person as (
    select
        person_key,
        sum(total_minutes)::bigint as total_minutes,
        sum(person_times)::bigint as person_times,
        arg_min(org_code, (-total_minutes, org_code)) as main_org_code,
        bool_or(was_student) as was_student
    from by_person_org
    group by person_key
),

ranked as (
    select
        *,
        rank() over (order by total_minutes desc) as rank
    from by_person
    order by total_minutes desc, person_key asc
    limit {{ bind("limit") }}
),

final as (
    -- the columns in the order the page shows them
    select  -- noqa: ST06
        ranked.rank,
        ranked.person_key,
        people.person_name,
        people.person_type,
        ranked.main_org_code,
        orgs.org_name as main_org_name,
        ranked.total_minutes,
        ranked.total_minutes::double / 60 as hours,
        ranked.person_times,
        ranked.was_student or people.person_type = 'student' as is_student
    from ranked
    left join dim_people as people
        on ranked.person_key = people.person_key and people.is_current
    left join dim_organizations as orgs
        on ranked.main_org_code = orgs.org_code
)

select * from final
order by rank, person_key
