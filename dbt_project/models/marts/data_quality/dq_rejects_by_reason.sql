-- Rejected rows per file in effect and reason code: how many, the first and
-- last line, and up to three examples (in line order): their lines, the columns
-- the reason names and those columns' values, masked by ingest. No message is
-- stored: readers write it from these, in their own language (ingest.reasons).
-- An empty column or value is '' (Spark's lists drop nulls).
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
        rejects.reason_code,
        count(*) as rejected_rows,
        min(rejects.source_line) as first_line,
        max(rejects.source_line) as last_line,
        {{ first_values('rejects.source_line', 'rejects.source_line', 3) }}
            as example_lines,
        {{ first_values(
            "coalesce(rejects.reason_column, '')", 'rejects.source_line', 3
        ) }} as example_columns,
        {{ first_values(
            "coalesce(rejects.reason_value, '')", 'rejects.source_line', 3
        ) }} as example_values
    from rejects
    inner join batches on rejects.batch_id = batches.batch_id
    group by
        rejects.batch_id,
        batches.source_file,
        batches.batch_kind,
        batches.loaded_at,
        rejects.reason_code
)

select * from final
