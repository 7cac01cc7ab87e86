-- The rejected rows of each file in dq_failed_files that failed because every
-- row was rejected: its line, reason code, the column the reason names and
-- that column's value, masked by ingest. The returns to schools list them on
-- the failed file's 退回明细. The snapshot's reject counts (dq_rejects) are
-- of files in effect only: these rows were never loaded in any batch.
with

failure_rejects as (
    select * from {{ ref('stg_lake__failure_rejects') }}
),

failed_files as (
    select * from {{ ref('dq_failed_files') }}
),

final as (
    select
        failed_files.failure_id,
        failed_files.source_file,
        failure_rejects.source_line,
        failure_rejects.reason_code,
        failure_rejects.reason_column,
        failure_rejects.reason_value
    from failure_rejects
    inner join failed_files
        on failure_rejects.failure_id = failed_files.failure_id
)

select * from final
