-- Sessions not approved yet, in the organizations in view and the period.
with

{{ params_ctes() }},

final as (
    select
        pending.org_code,
        pending.district_code,
        pending.month,
        pending.status_label,
        pending.is_status_known,
        pending.sessions,
        pending.total_minutes
    from dq_pending_sessions as pending
    cross join params
    where
        pending.org_code in (select orgs_in_view.org_code from orgs_in_view)
        and pending.month between params.month_from and params.month_to
)

select * from final
order by month, org_code, status_label
