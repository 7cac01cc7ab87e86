with

manifest as (
    select * from {{ source('lake', 'manifest') }}
),

final as (
    select
        batch_id,
        file as source_file,
        sha256 as file_sha256,
        kind as batch_kind,
        loaded_at,
        superseded_at,
        superseded_by,
        rows_read,
        rows_loaded,
        rows_rejected
    from manifest
)

select * from final
