-- One row per session after exact duplicates are removed, in every status
-- (metrics count `approved` only; pending and rejected are reported beside).
-- Hours belong to the reporting organization on the log row and its district;
-- the person's roster organization is kept for drill-downs and moves no hours.
with

sessions as (
    select * from {{ ref('int_sessions_attributed') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

final as (
    select
        sessions.session_key,
        sessions.person_key,
        sessions.person_name,
        sessions.identified_by,
        sessions.reporting_org_code as org_code,
        sessions.district_code,
        sessions.activity_date,
        sessions.start_time,
        sessions.end_time,
        sessions.session_minutes,
        sessions.activity_type_code,
        sessions.activity_category,
        sessions.activity_type_label,
        sessions.activity_title,
        sessions.location,
        sessions.community,
        sessions.status,
        sessions.status_label,
        sessions.is_status_known,
        sessions.org_code as org_code_label,
        sessions.org_name as org_name_label,
        sessions.duplicates_removed,
        sessions.batch_id,
        sessions.source_file,
        sessions.source_line,
        coalesce(people.roster_org_code, 'unknown') as roster_org_code,
        strftime(sessions.activity_date, '%Y-%m') as month
    from sessions
    left join people on sessions.person_key = people.person_key
)

select * from final
