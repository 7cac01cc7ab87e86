-- What a school should correct in a file in effect besides its rejected rows,
-- one row per file, kind of finding and label as written: organization codes
-- or names that matched no organization (unknown_organization, with the
-- reason of dq_unknown_organizations), activity labels that matched no type
-- (unmapped_activity_label, fell to `other`) and status words that are none
-- of the known ones (unknown_status, counted as pending). Rows counted are
-- sessions after exact duplicates are removed, by the file of the copy kept;
-- event-summary rows (活动汇总, int_events_attributed, any status) after
-- their exact duplicates are removed count the same way, one row each.
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

events as (
    select * from {{ ref('int_events_attributed') }}
),

attributed_rows as (
    select
        batch_id,
        source_file,
        source_line,
        org_code,
        org_code_label,
        org_name_label,
        activity_type_code,
        activity_type_label,
        status_label,
        is_status_known
    from sessions
    union all
    select
        batch_id,
        source_file,
        source_line,
        reporting_org_code as org_code,
        org_code as org_code_label,
        org_name as org_name_label,
        activity_type_code,
        activity_type_label,
        status_label,
        is_status_known
    from events
),

unknown_organizations as (
    select * from {{ ref('dq_unknown_organizations') }}
),

findings as (
    select
        batch_id,
        source_file,
        source_line,
        'unknown_organization' as finding,
        coalesce(org_code_label, '') as label,
        coalesce(org_name_label, '') as label_name
    from attributed_rows
    where org_code = 'unknown'
    union all
    select
        batch_id,
        source_file,
        source_line,
        'unmapped_activity_label' as finding,
        coalesce(activity_type_label, '') as label,
        '' as label_name
    from attributed_rows
    where activity_type_code = 'other'
    union all
    select
        batch_id,
        source_file,
        source_line,
        'unknown_status' as finding,
        coalesce(status_label, '') as label,
        '' as label_name
    from attributed_rows
    where not is_status_known
),

grouped as (
    select
        batch_id,
        source_file,
        finding,
        label,
        label_name,
        count(*) as sessions,
        min(source_line) as first_line,
        {{ first_values('source_line', 'source_line', 5) }} as example_lines
    from findings
    group by batch_id, source_file, finding, label, label_name
),

final as (
    select
        grouped.batch_id,
        grouped.source_file,
        grouped.finding,
        grouped.label,
        grouped.label_name,
        grouped.sessions,
        grouped.first_line,
        grouped.example_lines,
        coalesce(unknown_organizations.reason, '') as reason
    from grouped
    left join unknown_organizations
        on
            grouped.finding = 'unknown_organization'
            and coalesce(unknown_organizations.org_code_label, '')
            = grouped.label
            and coalesce(unknown_organizations.org_name_label, '')
            = grouped.label_name
)

select * from final
