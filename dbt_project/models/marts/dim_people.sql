-- Everyone the warehouse knows: roster people (with their roster organization)
-- and people seen only in activity logs (is_on_roster false, named after the
-- name on their newest session). Keys are HMACs; no ID or phone number is kept.
with

roster as (
    select * from {{ ref('int_people_latest') }}
),

person_types as (
    {{ seed_terms('person_types', 'person_type_code') }}
),

organizations as (
    select * from {{ ref('int_organizations_attributed') }}
),

organization_names as (
    select * from {{ ref('int_organization_names') }}
),

sessions as (
    select * from {{ ref('int_sessions_attributed') }}
),

roster_people as (
    select
        roster.person_key,
        roster.person_name,
        roster.gender,
        coalesce(person_types.code, 'other') as person_type,
        roster.person_type_label,
        roster.role,
        coalesce(
            organizations.org_code, organization_names.org_code, 'unknown'
        ) as roster_org_code,
        roster.joined_date,
        roster.left_date,
        roster.id_number_key is not null as has_id_number,
        true as is_on_roster
    from roster
    left join person_types
        on lower(roster.person_type_label) = person_types.term
    left join organizations on roster.org_code = organizations.org_code
    left join organization_names
        on
            roster.org_code is null
            and lower(roster.org_name) = organization_names.org_name_key
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
        false as is_on_roster
),

final as (
    select
        roster_people.*,
        coalesce(organizations.district_code, 'unknown') as district_code
    from roster_people
    left join organizations
        on roster_people.roster_org_code = organizations.org_code
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
    select
        *,
        'unknown' as district_code
    from unknown
)

select * from final
