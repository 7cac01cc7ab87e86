-- The sessions an incremental build recomputes: every session with a copy in
-- a batch that entered or left the build (int_activity_batches_changed).
-- The list is read only by an incremental run of the session models
-- (only_touched_sessions): it lists none when no such run can happen, on a
-- full refresh (`dbt build --full-refresh`: publish runs one on a first build
-- and whenever rosters, organizations, seeds, models or AS_OF changed) and on
-- Spark, where the session models are rebuilt on every run
-- (incremental_by_batch(rebuild_on_spark=true)). On a first build every session
-- is touched, and listing them all cost 4.8 s of the 10M demo's build, on its
-- critical path.
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
    {%- if flags.FULL_REFRESH or target.type == 'spark' %}
        where false
    {%- endif %}
)

select * from final
