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

-- The copy kept, chosen on the four columns that choose it: sorting every
-- copy whole (twenty-odd columns) cost a third more time and memory. Read
-- from the model again, not from activity_rows: DuckDB materializes a CTE
-- that a query reads twice, every row whole (400 MB more at 1M rows).
copies as (
    select
        session_key,
        batch_id,
        source_line,
        loaded_at
    from {{ ref('int_activity_rows_selected') }}
    {{ only_touched_sessions() }}
),

kept as (
    select
        session_key,
        batch_id,
        source_line,
        count(*) over (partition by session_key) - 1 as duplicates_removed
    from copies
    qualify row_number() over (
        partition by session_key
        order by loaded_at, batch_id, source_line
    ) = 1
),

final as (
    select
        activity_rows.*,
        kept.duplicates_removed
    from activity_rows
    inner join kept
        on
            activity_rows.batch_id = kept.batch_id
            and activity_rows.source_line = kept.source_line
)

select * from final
