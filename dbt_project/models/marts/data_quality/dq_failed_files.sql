-- Files that failed whole (ingest.failures: unreadable, no recognizable
-- header, every row rejected ...) up to the data cut-off and that no later
-- load of the same name replaced: the last failure of each, with why. A file
-- that failed and was then sent again and loaded is not listed. The returns
-- to schools (export/returns.py) write one for each.
with

failures as (
    select * from {{ ref('stg_lake__failures') }}
),

batches as (
    select * from {{ ref('stg_lake__batches') }}
),

cutoff as (
    select * from {{ ref('int_data_cutoff') }}
),

failures_by_cutoff as (
    select failures.*
    from failures
    cross join cutoff
    where failures.failed_at <= cutoff.cutoff_at
),

last_failures as (
    select *
    from failures_by_cutoff
    qualify row_number() over (
        partition by source_file
        order by failed_at desc, failure_id desc
    ) = 1
),

loaded_since as (
    select distinct last_failures.failure_id
    from last_failures
    inner join batches
        on last_failures.source_file = batches.source_file
    cross join cutoff
    where
        batches.loaded_at > last_failures.failed_at
        and batches.loaded_at <= cutoff.cutoff_at
),

final as (
    select
        last_failures.failure_id,
        last_failures.source_file,
        last_failures.file_sha256,
        last_failures.batch_kind,
        last_failures.failed_at,
        last_failures.reason_code,
        last_failures.detail_zh,
        last_failures.detail_en,
        last_failures.rows_read,
        last_failures.rows_rejected
    from last_failures
    left join loaded_since
        on last_failures.failure_id = loaded_since.failure_id
    where loaded_since.failure_id is null
)

select * from final
