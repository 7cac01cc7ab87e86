-- The batches this build reads, as python -m publish selected them
-- (publish/selection.py): the one place the selection enters the models.
with

batches_selected as (
    select * from {{ source('build', 'batches_selected') }}
),

final as (
    select
        batch_id,
        file as source_file,
        sha256 as file_sha256,
        kind as batch_kind,
        loaded_at,
        superseded_at,
        rows_read,
        rows_loaded,
        rows_rejected
    from batches_selected
)

select * from final
