-- Activity labels that match no code, name or alias of an activity type (the
-- seed's or an activity types file's) and fell to type `other` (every status),
-- with counts: add the label as an alias in an activity types file in the inbox
-- (or in seeds/activity_types.csv), load and rebuild to map it. Labels of
-- event-summary rows (活动汇总) are listed with them, each row counted once in
-- `sessions`, with its event_minutes.
with

sessions as (
    select
        activity_type_label,
        activity_type_code,
        status,
        session_minutes,
        org_code,
        activity_date,
        source_file
    from {{ ref('fct_volunteer_sessions') }}
    union all
    select
        activity_type_label,
        activity_type_code,
        status,
        event_minutes as session_minutes,
        reporting_org_code as org_code,
        activity_date,
        source_file
    from {{ ref('int_events_attributed') }}
),

final as (
    select
        activity_type_label,
        count(*) as sessions,
        count(*) filter (where status = 'approved') as approved_sessions,
        coalesce(
            sum(session_minutes) filter (where status = 'approved'), 0
        )::bigint as approved_minutes,
        count(distinct org_code) as organizations,
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date,
        {{ sorted_list('source_file', distinct=true) }} as source_files
    from sessions
    where activity_type_code = 'other'
    group by activity_type_label
)

select * from final
