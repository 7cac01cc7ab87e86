-- Everyone the warehouse knows: roster people (with their roster organization)
-- and people seen only in activity logs (is_on_roster false, named after the
-- name on their newest session). Keys are HMACs; no ID or phone number is kept.
with

roster as (
    select * from {{ ref('int_people_placed') }}
),

sessions as (
    select * from {{ ref('int_sessions_attributed') }}
),

roster_people as (
    select
        person_key,
        person_name,
        gender,
        person_type,
        person_type_label,
        role,
        roster_org_code,
        joined_date,
        left_date,
        id_number_key is not null as has_id_number,
        true as is_on_roster,
        district_code
    from roster
),

session_only_people as (
    select
        person_key,
        arg_max(person_name, activity_date) as person_name
    from sessions
    where person_key not in (select roster.person_key from roster)
    group by person_key
),

unknown as (
    select
        'unknown' as person_key,
        '未知' as person_name,
        null::varchar as gender,
        'unknown' as person_type,
        null::varchar as person_type_label,
        null::varchar as role,
        'unknown' as roster_org_code,
        null::date as joined_date,
        null::date as left_date,
        false as has_id_number,
        false as is_on_roster,
        'unknown' as district_code
),

final as (
    select * from roster_people
    union all
    select
        person_key,
        person_name,
        null as gender,
        'unknown' as person_type,
        null as person_type_label,
        null as role,
        'unknown' as roster_org_code,
        null as joined_date,
        null as left_date,
        false as has_id_number,
        false as is_on_roster,
        'unknown' as district_code
    from session_only_people
    union all
    select * from unknown
)

select * from final
