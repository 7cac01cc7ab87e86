with

rejects as (
    select * from {{ source('lake', 'rejects') }}
),

final as (
    select
        batch_id,
        kind as batch_kind,
        source_line,
        reason as reason_code,
        reason_column,
        reason_value,
        raw_values
    from rejects
)

select * from final
