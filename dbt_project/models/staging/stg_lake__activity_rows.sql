with

activity as (
    select * from {{ source('lake', 'activity') }}
),

final as (
    select
        batch_id,
        source_line,
        person_id_key,
        id_number_key,
        phone_key,
        is_id_number_damaged,
        person_name,
        org_code,
        org_name,
        activity_date::date as activity_date,
        start_time,
        end_time,
        hours,
        minutes,
        session_minutes,
        activity_type as activity_type_label,
        activity_title,
        location,
        community,
        status,
        status_label,
        is_status_known
    from activity
)

select * from final
