with

districts as (
    select * from {{ ref('int_districts_latest') }}
),

unknown as (
    select
        'unknown' as district_code,
        '未归属区域' as district_name,
        null::string as district_type
),

final as (
    select
        district_code,
        district_name,
        district_type
    from districts
    union all
    select * from unknown
)

select * from final
