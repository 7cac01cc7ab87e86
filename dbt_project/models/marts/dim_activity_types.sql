-- Every activity type (the seed's and the inbox's: int_activity_types_merged),
-- and `other` (labels that match no type) and `unknown`.
with

activity_types as (
    select * from {{ ref('int_activity_types_merged') }}
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
        activity_category,
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
