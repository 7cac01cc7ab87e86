-- The districts in scope (the scope's districts, or those its organizations are
-- in), `unknown` last.
with

params as (
    select
        {{ bind("scope_districts") }}::varchar[] as scope_districts,
        {{ bind("scope_organizations") }}::varchar[] as scope_organizations
),

final as (
    select
        districts.district_code,
        districts.district_name
    from dim_districts as districts
    cross join params
    where
        (
            params.scope_districts is null
            or list_contains(params.scope_districts, districts.district_code)
        )
        and (
            params.scope_organizations is null
            or districts.district_code in (
                select orgs.district_code
                from dim_organizations as orgs
                where
                    list_has_any(
                        params.scope_organizations,
                        string_split(orgs.org_path, ' / ')
                    )
            )
        )
)

select * from final
order by district_code = 'unknown', district_code
