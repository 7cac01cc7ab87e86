-- One row per rejected row of every file in effect: its file, line, reason
-- code, the column the reason names and that column's value, masked by ingest
-- (never in clear). The returns to schools (export/returns.py) list these
-- rows; dq_rejects_by_reason counts them per file and reason. No message is
-- stored: readers write it from the reason, in their own language.
with

rejects as (
    select * from {{ ref('stg_lake__rejects') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

final as (
    select
        rejects.batch_id,
        batches.source_file,
        batches.batch_kind,
        batches.loaded_at,
        rejects.source_line,
        rejects.reason_code,
        coalesce(rejects.reason_column, '') as reason_column,
        coalesce(rejects.reason_value, '') as reason_value
    from rejects
    inner join batches on rejects.batch_id = batches.batch_id
)

select * from final
