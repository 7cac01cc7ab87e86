-- One row per activity row dropped as an exact copy of a row loaded before it
-- (int_sessions_deduplicated: the copy kept is the first loaded), with the
-- file and line of the copy kept. A duplicate spanning two files is listed
-- under the file whose copy was not kept, so a school's return names the rows
-- it sent twice and where the first copy is. Event-summary rows (活动汇总)
-- dropped as exact copies (int_events_deduplicated) are listed the same way;
-- a summary row is never matched against log rows.
with

activity_rows as (
    select * from {{ ref('int_activity_rows_selected') }}
),

sessions as (
    select * from {{ ref('int_sessions_deduplicated') }}
    where duplicates_removed > 0
),

event_rows as (
    select * from {{ ref('int_event_rows_selected') }}
),

events as (
    select * from {{ ref('int_events_deduplicated') }}
    where duplicates_removed > 0
),

final as (
    select
        activity_rows.batch_id,
        activity_rows.source_file,
        activity_rows.loaded_at,
        activity_rows.source_line,
        sessions.batch_id as kept_batch_id,
        sessions.source_file as kept_source_file,
        sessions.source_line as kept_source_line
    from activity_rows
    inner join sessions on activity_rows.session_key = sessions.session_key
    where
        activity_rows.batch_id <> sessions.batch_id
        or activity_rows.source_line <> sessions.source_line
    union all
    select
        event_rows.batch_id,
        event_rows.source_file,
        event_rows.loaded_at,
        event_rows.source_line,
        events.batch_id as kept_batch_id,
        events.source_file as kept_source_file,
        events.source_line as kept_source_line
    from event_rows
    inner join events on event_rows.event_key = events.event_key
    where
        event_rows.batch_id <> events.batch_id
        or event_rows.source_line <> events.source_line
)

select * from final
