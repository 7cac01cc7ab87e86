-- The sessions an incremental build recomputes: every session with a copy in
-- a batch that entered or left the build (int_activity_batches_changed).
with

activity_rows as (
    select * from {{ ref('int_activity_rows_keyed') }}
),

changed as (
    select * from {{ ref('int_activity_batches_changed') }}
),

final as (
    select distinct activity_rows.session_key
    from activity_rows
    inner join changed on activity_rows.batch_id = changed.batch_id
)

select * from final
