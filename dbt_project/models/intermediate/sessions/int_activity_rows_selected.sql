-- Activity rows of the batches a build reads, with their file and load time.
-- A view: a filter over int_activity_rows_keyed, which holds every batch; a
-- table would copy every row on each build.
{{ config(materialized='view') }}

with

activity_rows as (
    select * from {{ ref('int_activity_rows_keyed') }}
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
