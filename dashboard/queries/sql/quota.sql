-- Quota attainment per district in view, year of the range and quota.
with

{{ params_ctes() }},

final as (
    select
        quota.district_code,
        quota.district_name,
        quota.year,
        quota.quota_code,
        quota.person_type_code,
        quota.people_in_scope,
        quota.people_meeting,
        quota.is_year_complete
    from agg_quota_attainment as quota
    cross join params
    where
        quota.district_code in (
            select orgs_in_view.district_code from orgs_in_view
        )
        and quota.year::varchar between left(params.month_from, 4)
        and left(params.month_to, 4)
        and (
            params.person_types is null
            or list_contains(params.person_types, quota.person_type_code)
        )
)

select * from final
order by district_code, year, quota_code
