-- Per organization and month, the metrics of agg_district_monthly over the
-- organization's scope: the organization itself and every organization under
-- it. DESIGN.md attributes a session to the organization on its log row and,
-- up the tree, to what contains it (a branch's hours reach its district through
-- its school), and counts a school's branches "in the unit by the attribution
-- rule"; so a school's figures include its branches' sessions and roster, and
-- a branch's are its own. The own_ columns count only the sessions reported by
-- the organization itself; they partition the sessions, so they are the ones a
-- report may add up. Distinct counts are computed per scope from sessions and
-- roster months, never added up from child organizations or months. Every
-- known organization has a row for every month of int_months_spanned;
-- `unknown` only in months where it has approved sessions or summary rows.
-- The activity columns (macros/event_metric_columns.sql) count activities
-- per scope: a school's events_logged counts its branches' activities (each
-- distinct by organization, date, type and title), its events_reported their
-- summary rows. Summary rows never enter a person-level column; an approved
-- summary row of type activity_day covers its branch unit like a session.
with

organizations as (
    select * from {{ ref('dim_organizations') }}
),

ancestors as (
    select * from {{ ref('int_organization_ancestors') }}
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

scopes as (
    -- each organization with itself and each organization above it: a row
    -- reported by (or rostered at) org_code counts in scope_org_code
    select
        org_code,
        ancestor_code as scope_org_code
    from ancestors
    union all
    select
        'unknown' as org_code,
        'unknown' as scope_org_code
),

approved as (
    select * from sessions
    where status = 'approved'
),

approved_in_scope as (
    select
        approved.*,
        scopes.scope_org_code
    from approved
    inner join scopes on approved.org_code = scopes.org_code
),

events_in_scope as (
    select
        events.*,
        scopes.scope_org_code
    from events
    inner join scopes on events.org_code = scopes.org_code
),

first_months as (
    select
        person_key,
        min(month) as first_month
    from approved
    group by person_key
),

scope_volunteers as (
    select distinct
        scope_org_code,
        month,
        person_key
    from approved_in_scope
),

session_metrics as (
    select
        scope_org_code,
        month,
        count(*) as person_times,
        count(distinct person_key) as volunteers,
        sum(session_minutes)::bigint as total_minutes,
        coalesce(
            sum(session_minutes) filter (
                where activity_category = 'volunteer_service'
            ),
            0
        )::bigint as volunteer_service_minutes
    from approved_in_scope
    group by scope_org_code, month
),

own_metrics as (
    select
        org_code,
        month,
        count(*) as own_person_times,
        count(distinct person_key) as own_volunteers,
        sum(session_minutes)::bigint as own_total_minutes
    from approved
    group by org_code, month
),

volunteer_flows as (
    select
        this_month.scope_org_code,
        this_month.month,
        count(*) filter (
            where first_months.first_month = this_month.month
        ) as new_volunteers,
        count(previous_month.person_key) as retained_volunteers
    from scope_volunteers as this_month
    inner join first_months on this_month.person_key = first_months.person_key
    left join scope_volunteers as previous_month
        on
            this_month.scope_org_code = previous_month.scope_org_code
            and this_month.person_key = previous_month.person_key
            and previous_month.month
            = {{ previous_month_label('this_month.month') }}
    group by this_month.scope_org_code, this_month.month
),

roster_metrics as (
    -- one row per person and month, and one scope per ancestor of the roster
    -- organization, so a count is a distinct count
    select
        scopes.scope_org_code,
        person_months.month,
        count(*) as roster_size,
        count(*) filter (where person_months.is_active) as active_members
    from person_months
    inner join scopes on person_months.roster_org_code = scopes.org_code
    group by scopes.scope_org_code, person_months.month
),

branch_units as (
    select
        scopes.scope_org_code,
        count(*) as branch_units
    from organizations
    inner join scopes on organizations.org_code = scopes.org_code
    where organizations.is_branch_unit
    group by scopes.scope_org_code
),

activity_days as (
    -- approved sessions and approved summary rows of type activity_day
    select
        scope_org_code,
        month,
        org_code
    from approved_in_scope
    where activity_type_code = 'activity_day'
    union all
    select
        scope_org_code,
        month,
        org_code
    from events_in_scope
    where activity_type_code = 'activity_day'
),

branch_units_covered as (
    select
        activity_days.scope_org_code,
        activity_days.month,
        count(distinct activity_days.org_code)
            as branch_units_with_activity_day
    from activity_days
    inner join organizations
        on activity_days.org_code = organizations.org_code
    where organizations.is_branch_unit
    group by activity_days.scope_org_code, activity_days.month
),

logged_activities as (
    -- an activity of the logs: its attributed organization, date, type and
    -- title (DESIGN.md, events_logged), once per scope that contains it
    select distinct
        scope_org_code,
        month,
        org_code,
        activity_date,
        activity_type_code,
        activity_title
    from approved_in_scope
),

logged_metrics as (
    select
        scope_org_code,
        month,
        count(*) as events_logged
    from logged_activities
    group by scope_org_code, month
),

reported_metrics as (
    select
        scope_org_code,
        month,
        count(*) as events_reported,
        sum(participants)::bigint as reported_person_times,
        sum(event_minutes)::bigint as reported_minutes
    from events_in_scope
    group by scope_org_code, month
),

grid as (
    select
        organizations.org_code,
        months.month
    from organizations
    cross join months
    where organizations.org_code <> 'unknown'
    union all
    select
        scope_org_code as org_code,
        month
    from session_metrics
    where scope_org_code = 'unknown'
    union
    select
        scope_org_code as org_code,
        month
    from reported_metrics
    where scope_org_code = 'unknown'
),

final as (
    select
        grid.org_code,
        organizations.org_name,
        organizations.org_type,
        organizations.parent_org_code,
        organizations.district_code,
        grid.month,
        {{ unit_metric_columns() }},
        coalesce(own_metrics.own_volunteers, 0) as own_volunteers,
        coalesce(own_metrics.own_person_times, 0) as own_person_times,
        coalesce(own_metrics.own_total_minutes, 0) as own_total_minutes,
        {{ event_metric_columns() }}
    from grid
    inner join organizations on grid.org_code = organizations.org_code
    left join session_metrics
        on
            grid.org_code = session_metrics.scope_org_code
            and grid.month = session_metrics.month
    left join own_metrics
        on
            grid.org_code = own_metrics.org_code
            and grid.month = own_metrics.month
    left join roster_metrics
        on
            grid.org_code = roster_metrics.scope_org_code
            and grid.month = roster_metrics.month
    left join branch_units on grid.org_code = branch_units.scope_org_code
    left join branch_units_covered
        on
            grid.org_code = branch_units_covered.scope_org_code
            and grid.month = branch_units_covered.month
    left join volunteer_flows
        on
            grid.org_code = volunteer_flows.scope_org_code
            and grid.month = volunteer_flows.month
    left join logged_metrics
        on
            grid.org_code = logged_metrics.scope_org_code
            and grid.month = logged_metrics.month
    left join reported_metrics
        on
            grid.org_code = reported_metrics.scope_org_code
            and grid.month = reported_metrics.month
)

select * from final
