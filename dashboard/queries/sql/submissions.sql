-- Submission status (报送情况) of the schools and offices in view, each month
-- of the period, with each unit's status in the last complete month (the
-- month before the data cut-off's month, which may lie outside the period).
with

{{ params_ctes() }},

last_complete as (
    select
        org_code,
        status_code
    from dq_submissions
    where month = {{ bind("last_complete_month") }}::varchar
),

final as (
    select
        submissions.district_code,
        submissions.district_name,
        submissions.org_code,
        submissions.org_name,
        submissions.month,
        submissions.rows_loaded,
        submissions.rows_rejected,
        submissions.rows_pending,
        submissions.first_load_at,
        submissions.last_load_at,
        submissions.status_code,
        coalesce(last_complete.status_code = 'missing', false)
            as missing_last_complete
    from dq_submissions as submissions
    cross join params
    left join last_complete on submissions.org_code = last_complete.org_code
    where
        submissions.org_code in (select orgs_in_view.org_code from orgs_in_view)
        and submissions.month between params.month_from and params.month_to
)

select * from final
order by
    missing_last_complete desc, district_code asc, org_code asc, month asc
