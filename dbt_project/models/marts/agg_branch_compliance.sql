-- Cadence compliance (三会一课 and the member activity day) per branch unit
-- (a branch, or a school without branches) and period: one row per branch
-- unit, target of the cadence_targets seed, and period of that target's
-- cadence (a month for monthly targets, a quarter for quarterly ones). A
-- meeting held is a distinct day with at least one approved session of the
-- type reported by the branch unit itself (sessions of the parent school do
-- not count for its branches); an approved event-summary row of the type
-- (fct_event_summaries) holds a meeting like a session, its headcount
-- counted in the attendance. Periods run from the first month with an
-- approved session (or summary row)
-- anywhere to the data cut-off: before the data begins there
-- is nothing to judge. A period that has not ended at the cut-off is
-- `in_progress` unless already met.
with

organizations as (
    select * from {{ ref('dim_organizations') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

cutoff as (
    select * from {{ ref('int_data_cutoff') }}
),

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

events as (
    select * from {{ ref('fct_event_summaries') }}
),

targets as (
    select * from {{ ref('cadence_targets') }}
),

cadences as (
    select cadence_values.cadence
    from (values ('monthly'), ('quarterly')) as cadence_values (cadence)
),

approved as (
    select * from sessions
    where status = 'approved'
),

branch_units as (
    select * from organizations
    where is_branch_unit
),

data_start as (
    -- the first month with an approved session or summary row
    select min(month) as first_month
    from (
        select month from approved
        union all
        select month from events
    ) as held_months
),

periods as (
    -- every month and every quarter from the first month with data
    select distinct
        cadences.cadence,
        case cadences.cadence
            when 'monthly' then months.month
            else
                year(months.month_start)
                || '-Q'
                || quarter(months.month_start)
        end as period,
        case cadences.cadence
            when 'monthly' then months.month_start
            else date_trunc('quarter', months.month_start)::date
        end as period_start
    from months
    cross join cadences
    inner join data_start on months.month >= data_start.first_month
),

periods_bounded as (
    select
        cadence,
        period,
        period_start,
        (
            period_start
            + case cadence
                when 'monthly' then interval 1 month
                else interval 3 month
            end
            - interval 1 day
        )::date as period_end
    from periods
),

attended as (
    -- one row per session (one attendance) or summary row (its headcount)
    select
        org_code,
        activity_type_code,
        activity_date,
        1 as attendance
    from approved
    union all
    select
        org_code,
        activity_type_code,
        activity_date,
        participants as attendance
    from events
),

meetings as (
    select
        attended.org_code,
        attended.activity_type_code,
        attended.activity_date,
        sum(attended.attendance) as attendance
    from attended
    inner join branch_units on attended.org_code = branch_units.org_code
    inner join targets
        on attended.activity_type_code = targets.activity_type_code
    group by
        attended.org_code, attended.activity_type_code, attended.activity_date
),

grid as (
    select
        branch_units.org_code,
        branch_units.org_name,
        branch_units.org_type,
        branch_units.parent_org_code,
        branch_units.district_code,
        targets.activity_type_code,
        targets.cadence,
        targets.min_meetings_held,
        periods_bounded.period,
        periods_bounded.period_start,
        periods_bounded.period_end
    from branch_units
    cross join targets
    inner join periods_bounded on targets.cadence = periods_bounded.cadence
),

held as (
    select
        grid.org_code,
        grid.activity_type_code,
        grid.period,
        count(meetings.activity_date) as meetings_held,
        coalesce(sum(meetings.attendance), 0)::bigint as attendance
    from grid
    left join meetings
        on
            grid.org_code = meetings.org_code
            and grid.activity_type_code = meetings.activity_type_code
            and meetings.activity_date
            between grid.period_start and grid.period_end
    group by grid.org_code, grid.activity_type_code, grid.period
),

final as (
    select
        grid.org_code,
        grid.org_name,
        grid.org_type,
        grid.parent_org_code,
        grid.district_code,
        grid.activity_type_code,
        grid.cadence,
        grid.period,
        grid.period_start,
        grid.period_end,
        grid.min_meetings_held,
        held.meetings_held,
        held.attendance,
        held.meetings_held >= grid.min_meetings_held as is_met,
        grid.period_end <= cutoff.cutoff_date as is_period_complete,
        case
            when held.meetings_held >= grid.min_meetings_held then 'met'
            when grid.period_end <= cutoff.cutoff_date then 'missed'
            else 'in_progress'
        end as compliance_status
    from grid
    inner join held
        on
            grid.org_code = held.org_code
            and grid.activity_type_code = held.activity_type_code
            and grid.period = held.period
    cross join cutoff
)

select * from final
