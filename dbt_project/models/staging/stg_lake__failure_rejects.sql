with

failure_rejects as (
    select * from {{ source('lake', 'failure_rejects') }}
),

final as (
    select
        failure_id,
        source_line,
        reason as reason_code,
        coalesce(reason_column, '') as reason_column,
        coalesce(reason_value, '') as reason_value
    from failure_rejects
)

select * from final
