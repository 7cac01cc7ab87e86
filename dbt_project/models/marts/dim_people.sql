-- Everyone the warehouse knows, as a history: one row per roster version of
-- each roster person (int_people_versions: valid_from..valid_to, a move of
-- school or a change of type or role keeps the old row for the old period),
-- and one always-valid row for each person seen only in activity logs
-- (is_on_roster false, named after the name on their newest session) and for
-- `unknown`. Keys are HMACs; no ID or phone number is kept.
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
        id_number_key,
        phone_key,
        true as is_on_roster,
        district_code,
        effective_from,
        valid_from,
        valid_to,
        valid_to = '9999-12-31'::date as is_current
    from roster
),

session_only_people as (
    select
        person_key,
        max_by(person_name, activity_date) as person_name
    from sessions
    where person_key not in (select roster.person_key from roster)
    group by person_key
),

unknown as (
    select
        'unknown' as person_key,
        '未知' as person_name,
        null::string as gender,
        'unknown' as person_type,
        null::string as person_type_label,
        null::string as role,
        'unknown' as roster_org_code,
        null::date as joined_date,
        null::date as left_date,
        false as has_id_number,
        null::string as id_number_key,
        null::string as phone_key,
        false as is_on_roster,
        'unknown' as district_code,
        null::date as effective_from,
        '2000-01-01'::date as valid_from,
        '9999-12-31'::date as valid_to,
        true as is_current
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
        null as id_number_key,
        null as phone_key,
        false as is_on_roster,
        'unknown' as district_code,
        null::date as effective_from,
        '2000-01-01'::date as valid_from,
        '9999-12-31'::date as valid_to,
        true as is_current
    from session_only_people
    union all
    select * from unknown
)

select * from final
