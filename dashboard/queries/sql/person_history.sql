-- One person's approved sessions over all time, in scope (the person is bound
-- after the filters).
with

{{ params_ctes() }},

final as (
    select
        history.month,
        history.org_code,
        orgs.org_name,
        history.activity_category,
        history.person_times,
        history.total_minutes,
        history.total_minutes::double / 60 as hours
    from agg_dashboard_person_months as history
    left join dim_organizations as orgs on history.org_code = orgs.org_code
    where
        history.person_key = {{ bind("person_key") }}
        and history.org_code in (select orgs_in_view.org_code from orgs_in_view)
)

select * from final
order by month, org_code, activity_category
