-- People with sessions but not on the roster, in the organizations in view and
-- the period.
with

{{ params_ctes() }},

final as (
    select
        missing.org_code,
        missing.district_code,
        missing.month,
        missing.sessions,
        missing.approved_minutes,
        missing.persons,
        missing.person_names
    from dq_people_missing_from_roster as missing
    cross join params
    where
        missing.org_code in (select orgs_in_view.org_code from orgs_in_view)
        and missing.month between params.month_from and params.month_to
)

select * from final
order by month, org_code
