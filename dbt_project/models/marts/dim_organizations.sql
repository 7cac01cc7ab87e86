with

organizations as (
    select * from {{ ref('int_organizations_attributed') }}
),

unknown as (
    select
        'unknown' as org_code,
        '未知单位' as org_name,
        'unknown' as org_type,
        null::string as org_type_label,
        null::string as parent_org_code,
        null::string as own_district_code,
        'unknown' as district_code,
        'unknown' as org_path,
        false as is_demonstration_site,
        false as is_branch_unit
),

final as (
    select
        org_code,
        org_name,
        org_type,
        org_type_label,
        parent_org_code,
        own_district_code,
        district_code,
        org_path,
        is_demonstration_site,
        is_branch_unit
    from organizations
    union all
    select * from unknown
)

select * from final
