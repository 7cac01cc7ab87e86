with

organizations as (
    select * from {{ source('lake', 'organizations') }}
),

final as (
    select
        batch_id,
        source_line,
        org_code,
        org_name,
        org_type as org_type_label,
        parent_org_code,
        district_code,
        is_demonstration_site
    from organizations
)

select * from final
