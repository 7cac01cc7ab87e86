with

activity_rows as (
    select * from {{ ref('stg_lake__activity_rows') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

final as (
    select
        activity_rows.*,
        batches.source_file,
        batches.loaded_at
    from activity_rows
    inner join batches on activity_rows.batch_id = batches.batch_id
)

select * from final
