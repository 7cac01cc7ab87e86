-- Organization codes and names on activity rows that resolved to no
-- organization and were attributed to `unknown` (their hours count under
-- district `unknown`), with counts and why: a code the organizations file does
-- not have (`code_not_found`), or, for a row with a name only, a name no
-- organization has (`name_not_found`) or several have (`name_ambiguous`).
-- candidate_org_codes lists the organizations whose name is the row's name,
-- a hint for the mapping file or for a corrected export. Event-summary rows
-- (活动汇总) attributed to `unknown` are listed with them: each counts as one
-- row in `sessions` (and in approved_sessions when approved), with its
-- event_minutes.
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

organizations as (
    select * from {{ ref('int_organizations_latest') }}
),

events as (
    select * from {{ ref('int_events_attributed') }}
),

unknown_sessions as (
    select
        org_code_label,
        org_name_label,
        status,
        session_minutes,
        activity_date,
        source_file
    from sessions
    where org_code = 'unknown'
    union all
    select
        org_code as org_code_label,
        org_name as org_name_label,
        status,
        event_minutes as session_minutes,
        activity_date,
        source_file
    from events
    where reporting_org_code = 'unknown'
),

organizations_by_name as (
    select
        lower(org_name) as org_name_key,
        count(*) as organizations,
        {{ sorted_list('org_code') }} as org_codes
    from organizations
    where org_name is not null
    group by lower(org_name)
),

labels as (
    select
        org_code_label,
        org_name_label,
        count(*) as sessions,
        count(*) filter (where status = 'approved') as approved_sessions,
        coalesce(
            sum(session_minutes) filter (where status = 'approved'), 0
        )::bigint as approved_minutes,
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date,
        {{ sorted_list('source_file', distinct=true) }} as source_files
    from unknown_sessions
    group by org_code_label, org_name_label
),

final as (
    select
        labels.org_code_label,
        labels.org_name_label,
        labels.sessions,
        labels.approved_sessions,
        labels.approved_minutes,
        labels.first_activity_date,
        labels.last_activity_date,
        labels.source_files,
        case
            when labels.org_code_label is not null then 'code_not_found'
            when organizations_by_name.organizations > 1 then 'name_ambiguous'
            else 'name_not_found'
        end as reason,
        coalesce(organizations_by_name.org_codes, {{ empty_string_list() }})
            as candidate_org_codes
    from labels
    left join organizations_by_name
        on lower(labels.org_name_label) = organizations_by_name.org_name_key
)

select * from final
