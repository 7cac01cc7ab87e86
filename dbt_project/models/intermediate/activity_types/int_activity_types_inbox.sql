-- Each activity type sent through the inbox: its row from the newest batch
-- that lists it. The codes `other` and `unknown` are the models' own (labels
-- that match no type; dim_activity_types adds them) and are not taken.
with

activity_types as (
    select * from {{ ref('stg_lake__activity_types') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

activity_types_selected as (
    select
        activity_types.*,
        batches.loaded_at
    from activity_types
    inner join batches on activity_types.batch_id = batches.batch_id
    where activity_types.activity_type_code not in ('other', 'unknown')
),

final as (
    select *
    from activity_types_selected
    qualify row_number() over (
        partition by activity_type_code
        order by loaded_at desc, batch_id desc, source_line desc
    ) = 1
)

select * from final
