-- Every rejected row of a file in effect is in dq_rejects_by_reason: per
-- batch, the rows counted by reason add up to the manifest's rows_rejected.
-- Returns the batches that differ. It describes the rejects and guards no
-- figure, so it warns (docs/data-tests.md).
{{ config(severity='warn') }}

with

loads as (
    select * from {{ ref('dq_file_loads') }}
    where is_in_effect
),

rejects as (
    select
        batch_id,
        sum(rejected_rows) as rejected_rows
    from {{ ref('dq_rejects_by_reason') }}
    group by batch_id
)

select
    loads.batch_id,
    loads.source_file,
    loads.rows_rejected,
    rejects.rejected_rows
from loads
left join rejects on loads.batch_id = rejects.batch_id
where loads.rows_rejected <> coalesce(rejects.rejected_rows, 0)
