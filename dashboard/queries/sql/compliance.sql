-- Branch compliance per unit in view and period (month, quarter) overlapping
-- the range.
with

{{ params_ctes() }},

final as (
    select
        compliance.org_code,
        compliance.org_name,
        compliance.district_code,
        compliance.activity_type_code,
        compliance.cadence,
        compliance.period,
        compliance.meetings_held,
        compliance.min_meetings_held,
        compliance.compliance_status
    from agg_branch_compliance as compliance
    cross join params
    where
        compliance.org_code in (select orgs_in_view.org_code from orgs_in_view)
        and strftime(compliance.period_end, '%Y-%m') >= params.month_from
        and strftime(compliance.period_start, '%Y-%m') <= params.month_to
)

select * from final
order by district_code, org_code, activity_type_code, period
