-- The ids of the batches this build reads, as python -m publish selected them
-- (publish/selection.py): the one place the selection enters the models.
with

batches_selected as (
    select * from {{ source('build', 'batches_selected') }}
),

final as (
    select batch_id
    from batches_selected
)

select * from final
