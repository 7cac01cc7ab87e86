with

activity_types as (
    select * from {{ ref('activity_types') }}
),

fallbacks as (
    select
        fallback.activity_type_code,
        fallback.name_zh,
        fallback.name_en,
        fallback.category,
        fallback.aliases
    from (
        values
        ('other', '其他', 'Other', 'other', null),
        ('unknown', '未知', 'Unknown', 'other', null)
    ) as fallback (
        activity_type_code, name_zh, name_en, category, aliases
    )
),

final as (
    select
        activity_type_code,
        name_zh,
        name_en,
        category as activity_category,
        aliases
    from activity_types
    union all
    select
        activity_type_code,
        name_zh,
        name_en,
        category as activity_category,
        aliases::string as aliases
    from fallbacks
)

select * from final
