-- One row per session after exact duplicates are removed, in every status
-- (metrics count `approved` only; pending and rejected are reported beside).
-- Hours belong to the reporting organization on the log row and its district;
-- the person's roster organization as of the activity date (the dim_people
-- version in effect that day) is kept for drill-downs and moves no hours.
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
    select * from {{ ref('int_sessions_attributed') }}
    {{ only_touched_sessions() }}
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
        coalesce(people.person_type, 'unknown') as person_type,
        {{ month_label('sessions.activity_date') }} as month
    from sessions
    left join people
        on
            sessions.person_key = people.person_key
            and sessions.activity_date between people.valid_from
            and people.valid_to
)

select * from final
