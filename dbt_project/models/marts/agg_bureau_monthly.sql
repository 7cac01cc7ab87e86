-- The bureau's row per month: every metric of agg_district_monthly over the
-- whole bureau (every district, `unknown` included), one row for every month
-- of `int_months_spanned`, under district_code `bureau` and district_name 全市.
-- Distinct counts (volunteers, roster_size, active_members, new and retained
-- volunteers, branch units covered) are computed here from sessions and
-- roster months bureau-wide, never added up from districts: a person active
-- in two districts in a month is one volunteer of the bureau. The additive
-- columns (person_times, minutes, activities held) equal the sums of
-- agg_district_monthly (tests/assert_bureau_adds_up.sql).
with

organizations as (
    select * from {{ ref('dim_organizations') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

person_months as (
    select * from {{ ref('fct_person_months') }}
),

events as (
    select * from {{ ref('fct_event_summaries') }}
),

approved as (
    select * from sessions
    where status = 'approved'
),

first_months as (
    select
        person_key,
        min(month) as first_month
    from approved
    group by person_key
),

bureau_volunteers as (
    select distinct
        month,
        person_key
    from approved
),

session_metrics as (
    select
        month,
        count(*) as person_times,
        count(distinct person_key) as volunteers,
        sum(session_minutes) as total_minutes,
        coalesce(
            sum(session_minutes) filter (
                where activity_category = 'volunteer_service'
            ),
            0
        ) as volunteer_service_minutes
    from approved
    group by month
),

volunteer_flows as (
    select
        this_month.month,
        count(*) filter (
            where first_months.first_month = this_month.month
        ) as new_volunteers,
        count(previous_month.person_key) as retained_volunteers
    from bureau_volunteers as this_month
    inner join first_months on this_month.person_key = first_months.person_key
    left join bureau_volunteers as previous_month
        on
            this_month.person_key = previous_month.person_key
            and previous_month.month
            = {{ previous_month_label('this_month.month') }}
    group by this_month.month
),

roster_metrics as (
    -- one row per person and month (unique in fct_person_months), so a count
    -- is a distinct count
    select
        month,
        count(*) as roster_size,
        count(*) filter (where is_active) as active_members
    from person_months
    group by month
),

branch_units as (
    select count(*) as branch_units
    from organizations
    where is_branch_unit
),

activity_days as (
    -- approved sessions and approved summary rows of type activity_day
    select
        month,
        org_code
    from approved
    where activity_type_code = 'activity_day'
    union all
    select
        month,
        org_code
    from events
    where activity_type_code = 'activity_day'
),

branch_units_covered as (
    select
        activity_days.month,
        count(distinct activity_days.org_code)
            as branch_units_with_activity_day
    from activity_days
    inner join organizations on activity_days.org_code = organizations.org_code
    where organizations.is_branch_unit
    group by activity_days.month
),

logged_activities as (
    -- an activity of the logs: its attributed organization, date, type and
    -- title (DESIGN.md, events_logged)
    select distinct
        month,
        org_code,
        activity_date,
        activity_type_code,
        activity_title
    from approved
),

logged_metrics as (
    select
        month,
        count(*) as events_logged
    from logged_activities
    group by month
),

reported_metrics as (
    select
        month,
        count(*) as events_reported,
        sum(participants)::bigint as reported_person_times,
        sum(event_minutes)::bigint as reported_minutes
    from events
    group by month
),

final as (
    select
        'bureau' as district_code,
        '全市' as district_name,
        months.month,
        {{ unit_metric_columns() }},
        {{ event_metric_columns() }}
    from months
    left join session_metrics on months.month = session_metrics.month
    left join roster_metrics on months.month = roster_metrics.month
    cross join branch_units
    left join branch_units_covered
        on months.month = branch_units_covered.month
    left join volunteer_flows on months.month = volunteer_flows.month
    left join logged_metrics on months.month = logged_metrics.month
    left join reported_metrics on months.month = reported_metrics.month
)

select * from final
