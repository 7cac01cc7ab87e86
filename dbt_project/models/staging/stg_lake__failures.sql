with

failures as (
    select * from {{ source('lake', 'failures') }}
),

final as (
    select
        failure_id,
        file as source_file,
        failed_at,
        reason as reason_code,
        coalesce(sha256, '') as file_sha256,
        coalesce(kind, '') as batch_kind,
        coalesce(detail_zh, '') as detail_zh,
        coalesce(detail_en, '') as detail_en,
        coalesce(rows_read, 0) as rows_read,
        coalesce(rows_rejected, 0) as rows_rejected
    from failures
)

select * from final
