-- Exact duplicates removed, per activity file in effect: the rows it landed,
-- the sessions kept from it, and the rows dropped because an identical row
-- (DESIGN.md "Exact duplicates") was loaded earlier, in this file or another.
-- The copy kept is the first loaded (int_sessions_deduplicated), so a
-- re-sent or late (补报) file carries the removals.
with

activity_rows as (
    select * from {{ ref('int_activity_rows_selected') }}
),

sessions as (
    select * from {{ ref('int_sessions_deduplicated') }}
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
