-- Validated event-summary rows (活动汇总) of every batch, typed and renamed:
-- one row per activity held, with its headcount and hours, and no person.
with

events as (
    select * from {{ source('lake', 'events') }}
),

final as (
    select
        batch_id,
        source_line,
        org_code,
        org_name,
        activity_date::date as activity_date,
        activity_type as activity_type_label,
        activity_title,
        location,
        community,
        participants,
        hours,
        hours_each,
        event_minutes,
        status,
        status_label,
        is_status_known
    from events
)

select * from final
