-- One row per approved event-summary row (活动汇总) after exact duplicates are
-- removed: an activity held, its headcount and minutes, attributed to its
-- reporting organization and district as sessions are. Summary rows never
-- make a person: they count in events_reported, reported_person_times and
-- reported_minutes of the monthly marts, never in person-level figures.
with

events as (
    select * from {{ ref('int_events_attributed') }}
),

final as (
    select
        event_key,
        reporting_org_code as org_code,
        district_code,
        activity_date,
        {{ month_label('activity_date') }} as month,
        activity_type_code,
        activity_category,
        activity_type_label,
        activity_title,
        location,
        community,
        participants,
        hours,
        hours_each,
        event_minutes,
        status,
        status_label,
        is_status_known,
        org_code as org_code_label,
        org_name as org_name_label,
        duplicates_removed,
        batch_id,
        source_file,
        source_line
    from events
    where status = 'approved'
)

select * from final
