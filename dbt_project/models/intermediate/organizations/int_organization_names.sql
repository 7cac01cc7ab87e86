-- Organization names that identify exactly one organization: a row that names
-- its organization only by a name in this list is attributed to it; any other
-- name goes to the `unknown` organization.
with

organizations as (
    select * from {{ ref('int_organizations_latest') }}
),

final as (
    select
        lower(org_name) as org_name_key,
        min(org_code) as org_code
    from organizations
    where org_name is not null
    group by lower(org_name)
    having count(*) = 1
)

select * from final
