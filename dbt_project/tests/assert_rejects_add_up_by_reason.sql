-- Every rejected row counted in dq_rejects_by_reason is listed once in
-- dq_rejects, the mart the returns to schools are written from: per file and
-- reason the two counts agree. Returns the (file, reason) pairs that differ.
-- It describes the rejects and guards no figure, so it warns
-- (docs/data-tests.md).
{{ config(severity='warn') }}

with

listed as (
    select
        batch_id,
        reason_code,
        count(*) as listed_rows
    from {{ ref('dq_rejects') }}
    group by batch_id, reason_code
),

counted as (
    select
        batch_id,
        reason_code,
        rejected_rows
    from {{ ref('dq_rejects_by_reason') }}
)

select
    counted.rejected_rows,
    listed.listed_rows,
    coalesce(counted.batch_id, listed.batch_id) as batch_id,
    coalesce(counted.reason_code, listed.reason_code) as reason_code
from counted
full outer join listed
    on
        counted.batch_id = listed.batch_id
        and counted.reason_code = listed.reason_code
where coalesce(counted.rejected_rows, 0) <> coalesce(listed.listed_rows, 0)
