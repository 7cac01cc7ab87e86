-- The activity batches the session facts were last built from, written after
-- fct_volunteer_sessions: the next build compares its selection with this
-- (int_activity_batches_changed reads it by name, not by ref, which would be
-- a cycle).
-- depends_on: {{ ref('fct_volunteer_sessions') }}
with

selected as (
    select * from {{ ref('int_batches_selected') }}
),

final as (
    select batch_id
    from selected
    where batch_kind = 'activity'
)

select * from final
