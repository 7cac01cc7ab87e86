-- Every activity type: the seed's (seeds/activity_types.csv), and those a
-- bureau sent through the inbox, which win on the same code (the whole row:
-- names, category and aliases), so types and aliases are added without
-- editing the project's files.
with

seed_types as (
    select * from {{ ref('activity_types') }}
),

inbox_types as (
    select * from {{ ref('int_activity_types_inbox') }}
),

from_inbox as (
    select
        activity_type_code,
        name_zh,
        name_en,
        activity_category,
        aliases,
        'inbox' as defined_in
    from inbox_types
),

from_seed as (
    select
        seed_types.activity_type_code,
        seed_types.name_zh,
        seed_types.name_en,
        seed_types.category as activity_category,
        seed_types.aliases,
        'seed' as defined_in
    from seed_types
    left join inbox_types
        on seed_types.activity_type_code = inbox_types.activity_type_code
    where inbox_types.activity_type_code is null
),

final as (
    select * from from_seed
    union all
    select * from from_inbox
)

select * from final
