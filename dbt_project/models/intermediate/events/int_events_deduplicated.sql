-- Exact duplicates among summary rows removed: rows with the same event_key
-- (every summary column agrees, int_event_rows_selected) are one activity, in
-- any files or batches. The copy kept is the first loaded, as for sessions;
-- the others are counted.
with

event_rows as (
    select * from {{ ref('int_event_rows_selected') }}
),

final as (
    select
        *,
        count(*) over (partition by event_key) - 1 as duplicates_removed
    from event_rows
    qualify row_number() over (
        partition by event_key
        order by loaded_at, batch_id, source_line
    ) = 1
)

select * from final
