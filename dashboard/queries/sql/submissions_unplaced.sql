-- Rejected rows of the activity and event-summary files in effect that no
-- unit and month holds (no readable unit or date): the bureau-wide figure.
with

rejected as (
    select coalesce(sum(rows_rejected), 0) as rows_rejected
    from dq_file_loads
    where is_in_effect and batch_kind in ('activity', 'events')
),

placed as (
    select coalesce(sum(rows_rejected), 0) as rows_rejected
    from dq_submissions
)

select rejected.rows_rejected - placed.rows_rejected as rows_unplaced
from rejected
cross join placed
