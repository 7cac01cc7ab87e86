-- Exact duplicates removed, per activity file in effect: the rows it landed,
-- the sessions kept from it, and the rows dropped because an identical row
-- (DESIGN.md "Exact duplicates") was loaded earlier, in this file or another.
-- The copy kept is the first loaded (int_sessions_deduplicated), so a
-- re-sent or late (补报) file carries the removals. Event-summary files
-- (活动汇总) are listed the same way: their rows, the summary rows kept
-- (int_events_deduplicated) and the exact copies dropped; a summary row is
-- never matched against log rows.
with

activity_rows as (
    select
        batch_id,
        source_file,
        loaded_at
    from {{ ref('int_activity_rows_selected') }}
    union all
    select
        batch_id,
        source_file,
        loaded_at
    from {{ ref('int_event_rows_selected') }}
),

sessions as (
    select
        batch_id,
        duplicates_removed
    from {{ ref('int_sessions_deduplicated') }}
    union all
    select
        batch_id,
        duplicates_removed
    from {{ ref('int_events_deduplicated') }}
),

rows_landed as (
    select
        batch_id,
        source_file,
        loaded_at,
        count(*) as rows_landed
    from activity_rows
    group by batch_id, source_file, loaded_at
),

sessions_kept as (
    select
        batch_id,
        count(*) as sessions_kept,
        sum(duplicates_removed)::bigint as copies_of_its_sessions
    from sessions
    group by batch_id
),

final as (
    select
        rows_landed.batch_id,
        rows_landed.source_file,
        rows_landed.loaded_at,
        rows_landed.rows_landed,
        coalesce(sessions_kept.sessions_kept, 0) as sessions_kept,
        rows_landed.rows_landed
        - coalesce(sessions_kept.sessions_kept, 0) as duplicates_removed,
        coalesce(sessions_kept.copies_of_its_sessions, 0)
            as copies_of_its_sessions
    from rows_landed
    left join sessions_kept on rows_landed.batch_id = sessions_kept.batch_id
)

select * from final
