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

final as (
    select
        *,
        count(*) over (partition by session_key) - 1 as duplicates_removed
    from activity_rows
    qualify row_number() over (
        partition by session_key
        order by loaded_at, batch_id, source_line
    ) = 1
)

select * from final
