-- The manifest lines of the batches this build reads: the lake's batches
-- (stg_lake__batches) that python -m publish selected
-- (stg_build__batches_selected). Every model that needs the selection reads it
-- here.
with

batches as (
    select * from {{ ref('stg_lake__batches') }}
),

batches_selected as (
    select * from {{ ref('stg_build__batches_selected') }}
),

final as (
    select batches.*
    from batches
    where
        batches.batch_id in (
            select batches_selected.batch_id from batches_selected
        )
)

select * from final
