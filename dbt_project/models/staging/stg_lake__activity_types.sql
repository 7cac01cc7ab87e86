with

activity_types as (
    select * from {{ source('lake', 'activity_types') }}
),

final as (
    select
        batch_id,
        source_line,
        activity_type_code,
        name_zh,
        name_en,
        category as activity_category,
        aliases
    from activity_types
)

select * from final
