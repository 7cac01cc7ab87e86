-- Per district and month, every metric of DESIGN.md, from approved sessions
-- after exact duplicates are removed. Distinct counts are computed here from
-- sessions and roster months, never added up from units or months. Every known
-- district has a row for every month of `int_months_spanned`; `unknown` has a
-- row only in months where it has approved sessions or approved event-summary
-- rows (so no activity held disappears from the district rows). Exact
-- numerators and denominators (minutes, counts) are kept beside each ratio so
-- that reports round once, from the exact values. The activity columns
-- (events_logged ... reported_minutes, macros/event_metric_columns.sql) count
-- activities held:
-- from the logs, distinct (organization, date, type, title); from event
-- summaries, their approved rows. Summary rows never enter a person-level
-- column; an approved summary row of type activity_day counts toward
-- activity-day coverage like a session.
with

districts as (
    select * from {{ ref('dim_districts') }}
),

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

district_volunteers as (
    select distinct
        district_code,
        month,
        person_key
    from approved
),

session_metrics as (
    select
        district_code,
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
    group by district_code, month
),

volunteer_flows as (
    select
        this_month.district_code,
        this_month.month,
        count(*) filter (
            where first_months.first_month = this_month.month
        ) as new_volunteers,
        count(previous_month.person_key) as retained_volunteers
    from district_volunteers as this_month
    inner join first_months on this_month.person_key = first_months.person_key
    left join district_volunteers as previous_month
        on
            this_month.district_code = previous_month.district_code
            and this_month.person_key = previous_month.person_key
            and previous_month.month
            = {{ previous_month_label('this_month.month') }}
    group by this_month.district_code, this_month.month
),

roster_metrics as (
    -- one row per person and month, so a count is a distinct count
    select
        district_code,
        month,
        count(*) as roster_size,
        count(*) filter (where is_active) as active_members
    from person_months
    group by district_code, month
),

branch_units as (
    select
        district_code,
        count(*) as branch_units
    from organizations
    where is_branch_unit
    group by district_code
),

activity_days as (
    -- approved sessions and approved summary rows of type activity_day
    select
        district_code,
        month,
        org_code
    from approved
    where activity_type_code = 'activity_day'
    union all
    select
        district_code,
        month,
        org_code
    from events
    where activity_type_code = 'activity_day'
),

branch_units_covered as (
    select
        activity_days.district_code,
        activity_days.month,
        count(distinct activity_days.org_code)
            as branch_units_with_activity_day
    from activity_days
    inner join organizations on activity_days.org_code = organizations.org_code
    where organizations.is_branch_unit
    group by activity_days.district_code, activity_days.month
),

logged_activities as (
    -- an activity of the logs: its attributed organization, date, type and
    -- title (DESIGN.md, events_logged)
    select distinct
        district_code,
        month,
        org_code,
        activity_date,
        activity_type_code,
        activity_title
    from approved
),

logged_metrics as (
    select
        district_code,
        month,
        count(*) as events_logged
    from logged_activities
    group by district_code, month
),

reported_metrics as (
    select
        district_code,
        month,
        count(*) as events_reported,
        sum(participants)::bigint as reported_person_times,
        sum(event_minutes)::bigint as reported_minutes
    from events
    group by district_code, month
),

grid as (
    select
        districts.district_code,
        districts.district_name,
        months.month
    from districts
    cross join months
    where districts.district_code <> 'unknown'
    union all
    select distinct
        districts.district_code,
        districts.district_name,
        unit_months.month
    from (
        select
            district_code,
            month
        from session_metrics
        union
        select
            district_code,
            month
        from reported_metrics
    ) as unit_months
    inner join districts
        on unit_months.district_code = districts.district_code
    where districts.district_code = 'unknown'
),

final as (
    select
        grid.district_code,
        grid.district_name,
        grid.month,
        {{ unit_metric_columns() }},
        {{ event_metric_columns() }}
    from grid
    left join session_metrics
        on
            grid.district_code = session_metrics.district_code
            and grid.month = session_metrics.month
    left join roster_metrics
        on
            grid.district_code = roster_metrics.district_code
            and grid.month = roster_metrics.month
    left join branch_units on grid.district_code = branch_units.district_code
    left join branch_units_covered
        on
            grid.district_code = branch_units_covered.district_code
            and grid.month = branch_units_covered.month
    left join volunteer_flows
        on
            grid.district_code = volunteer_flows.district_code
            and grid.month = volunteer_flows.month
    left join logged_metrics
        on
            grid.district_code = logged_metrics.district_code
            and grid.month = logged_metrics.month
    left join reported_metrics
        on
            grid.district_code = reported_metrics.district_code
            and grid.month = reported_metrics.month
)

select * from final
