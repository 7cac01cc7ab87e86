-- Every organization in scope, in tree order, `unknown` last.
with

{{ params_ctes() }},

final as (
    select
        orgs.org_code,
        orgs.org_name,
        orgs.org_type,
        orgs.parent_org_code,
        orgs.district_code,
        orgs.org_path
    from dim_organizations as orgs
    where orgs.org_code in (select orgs_in_view.org_code from orgs_in_view)
)

select * from final
order by org_code = 'unknown', org_path
