-- One row per batch landed up to the data cut-off: the file, when it was
-- loaded, its rows read, loaded and rejected (read = loaded + rejected), and
-- whether the build reads it (`in_effect`), a corrected file of the same
-- name replaced it (`superseded`) or it was taken back (`withdrawn`: python -m
-- ingest withdraw, which names no batch in its place). A replacement or
-- withdrawal made after the cut-off is not shown, so a build at AS_OF reports
-- the loads as they stood then.
with

batches as (
    select * from {{ ref('stg_lake__batches') }}
),

batches_selected as (
    select * from {{ ref('int_batches_selected') }}
),

cutoff as (
    select * from {{ ref('int_data_cutoff') }}
),

final as (
    select
        batches.batch_id,
        batches.source_file,
        batches.batch_kind,
        batches.file_sha256,
        batches.loaded_at,
        batches.rows_read,
        batches.rows_loaded,
        batches.rows_rejected,
        case
            when batches_selected.batch_id is not null then 'in_effect'
            when batches.superseded_by is null then 'withdrawn'
            else 'superseded'
        end as load_status,
        batches_selected.batch_id is not null as is_in_effect,
        case
            when batches.superseded_at <= cutoff.cutoff_at
                then batches.superseded_at
        end as superseded_at
    from batches
    cross join cutoff
    left join batches_selected on batches.batch_id = batches_selected.batch_id
    where batches.loaded_at <= cutoff.cutoff_at
)

select * from final
