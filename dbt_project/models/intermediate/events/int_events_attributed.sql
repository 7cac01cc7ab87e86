-- Each deduplicated summary row with its reporting organization, district
-- and activity type resolved exactly as sessions are
-- (int_sessions_attributed): the org_code when it is known; else the
-- organization whose name is unique; else `unknown`. Activity type: a code,
-- name or alias of the seed's types and the inbox's activity types files
-- (int_activity_type_terms), matched exactly after normalization; else
-- `other`.
with

events as (
    select * from {{ ref('int_events_deduplicated') }}
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

resolved as (
    select
        events.*,
        coalesce(
            organizations.org_code, organization_names.org_code, 'unknown'
        ) as reporting_org_code,
        coalesce(
            activity_type_terms.activity_type_code, 'other'
        ) as activity_type_code
    from events
    left join organizations
        on events.org_code = organizations.org_code
    left join organization_names
        on
            events.org_code is null
            and lower(events.org_name) = organization_names.org_name_key
    left join activity_type_terms
        on lower(events.activity_type_label) = activity_type_terms.term
),

final as (
    select
        resolved.*,
        coalesce(organizations.district_code, 'unknown') as district_code,
        coalesce(activity_types.activity_category, 'other') as activity_category
    from resolved
    left join organizations
        on resolved.reporting_org_code = organizations.org_code
    left join activity_types
        on resolved.activity_type_code = activity_types.activity_type_code
)

select * from final
