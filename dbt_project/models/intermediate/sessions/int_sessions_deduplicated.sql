-- Exact duplicates removed: rows with the same session_key (every
-- activity-log column agrees after normalization, int_activity_rows_keyed) are
-- one session, in any files or batches. The copy kept is the first loaded;
-- the others are counted.
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

activity_rows as (
    select * from {{ ref('int_activity_rows_selected') }}
    {{ only_touched_sessions() }}
),

-- The sessions with more than one copy: few, so only their copies are
-- ranked. Ranking every row (a window over every session_key, then a join
-- of every row back to its rank) needed 2 GB at 10M rows and, under a
-- memory limit of 1 GB, three times as long (bench/README.md, ninth round).
repeated as (
    select
        session_key,
        count(*) - 1 as duplicates_removed
    from activity_rows
    group by session_key
    having count(*) > 1
),

-- the copy kept of each repeated session, chosen on the columns that choose
-- it: the first loaded (batch_id and source_line name one row)
kept as (
    select
        activity_rows.batch_id,
        activity_rows.source_line,
        repeated.duplicates_removed
    from activity_rows
    inner join repeated on activity_rows.session_key = repeated.session_key
    qualify row_number() over (
        partition by activity_rows.session_key
        order by
            activity_rows.loaded_at,
            activity_rows.batch_id,
            activity_rows.source_line
    ) = 1
),

final as (
    select
        activity_rows.*,
        coalesce(kept.duplicates_removed, 0) as duplicates_removed
    from activity_rows
    left join repeated on activity_rows.session_key = repeated.session_key
    left join kept
        on
            activity_rows.batch_id = kept.batch_id
            and activity_rows.source_line = kept.source_line
    where repeated.session_key is null or kept.batch_id is not null
)

select * from final
