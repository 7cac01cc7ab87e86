-- Each deduplicated session with its person, reporting organization, district
-- and activity type resolved.
-- Person: the person_id when given; else the roster person with that ID number;
-- else the roster person with that phone; else the number itself (an unmatched
-- person). A number that maps to several roster people matches none of them.
-- Organization: the org_code when it is known; else the organization whose name
-- is unique; else `unknown`. Activity type: a type's code, names or aliases
-- (the seed's, and the inbox's activity types files: int_activity_type_terms),
-- matched exactly after normalization; else `other`.
-- Incremental by batch (macros/sessions_incremental.sql): a run recomputes
-- only the sessions with a copy in a batch that entered or left the build.
{{ config(
    materialized='incremental',
    unique_key='session_key',
    post_hook="{{ delete_sessions_of_dropped_batches() }}",
    **incremental_by_batch(rebuild_on_spark=true)
) }}
-- depends_on: {{ ref('int_batches_selected') }}
-- depends_on: {{ ref('int_sessions_touched') }}

with

sessions as (
    select * from {{ ref('int_sessions_deduplicated') }}
    {{ only_touched_sessions() }}
),

roster as (
    select * from {{ ref('int_people_versions') }}
),

organizations as (
    select * from {{ ref('int_organizations_attributed') }}
),

organization_names as (
    select * from {{ ref('int_organization_names') }}
),

activity_types as (
    select * from {{ ref('int_activity_types_merged') }}
),

activity_type_terms as (
    select * from {{ ref('int_activity_type_terms') }}
),

roster_by_id_number as (
    select
        id_number_key,
        min(person_key) as person_key
    from roster
    where id_number_key is not null and not is_id_number_damaged
    group by id_number_key
    having count(distinct person_key) = 1
),

roster_by_phone as (
    select
        phone_key,
        min(person_key) as person_key
    from roster
    where phone_key is not null
    group by phone_key
    having count(distinct person_key) = 1
),

resolved as (
    select
        sessions.*,
        coalesce(
            sessions.person_id_key,
            case
                when not sessions.is_id_number_damaged
                    then roster_by_id_number.person_key
            end,
            roster_by_phone.person_key,
            case
                when not sessions.is_id_number_damaged
                    then sessions.id_number_key
            end,
            sessions.phone_key
        ) as person_key,
        case
            when sessions.person_id_key is not null then 'person_id'
            when
                roster_by_id_number.person_key is not null
                and not sessions.is_id_number_damaged
                then 'id_number'
            when roster_by_phone.person_key is not null then 'phone'
            else 'unmatched'
        end as identified_by,
        coalesce(
            organizations.org_code, organization_names.org_code, 'unknown'
        ) as reporting_org_code,
        coalesce(
            activity_type_terms.activity_type_code, 'other'
        ) as activity_type_code
    from sessions
    left join roster_by_id_number
        on sessions.id_number_key = roster_by_id_number.id_number_key
    left join roster_by_phone
        on sessions.phone_key = roster_by_phone.phone_key
    left join organizations
        on sessions.org_code = organizations.org_code
    left join organization_names
        on
            sessions.org_code is null
            and lower(sessions.org_name) = organization_names.org_name_key
    left join activity_type_terms
        on lower(sessions.activity_type_label) = activity_type_terms.term
),

final as (
    select
        resolved.*,
        coalesce(organizations.district_code, 'unknown') as district_code,
        coalesce(
            activity_types.activity_category, 'other'
        ) as activity_category
    from resolved
    left join organizations
        on resolved.reporting_org_code = organizations.org_code
    left join activity_types
        on resolved.activity_type_code = activity_types.activity_type_code
)

select * from final
