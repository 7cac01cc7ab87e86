with

districts as (
    select * from {{ source('lake', 'districts') }}
),

final as (
    select
        batch_id,
        source_line,
        district_code,
        district_name,
        district_type
    from districts
)

select * from final
