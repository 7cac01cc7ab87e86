-- Exact duplicates removed: rows that agree on every activity-log column
-- after normalization (keys stand for the numbers; dates, times and numbers
-- compare as values; status as approved/pending/rejected) are one session, in
-- any files or batches. The copy kept is the first loaded; the others are
-- counted.
{% set same_session = [
    'person_id_key', 'id_number_key', 'phone_key', 'person_name',
    'org_code', 'org_name', 'activity_date', 'start_time', 'end_time',
    'hours', 'minutes', 'activity_type_label', 'activity_title',
    'location', 'community', 'status',
] %}

with

activity_rows as (
    select * from {{ ref('int_activity_rows_selected') }}
),

numbered as (
    select
        *,
        row_number() over (
            partition by {{ same_session | join(', ') }}
            order by loaded_at, batch_id, source_line
        ) as copy_number,
        count(*) over (
            partition by {{ same_session | join(', ') }}
        ) - 1 as duplicates_removed
    from activity_rows
),

final as (
    select
        -- the same columns, nulls marked, hashed: unique without duplicates
        md5(concat_ws(
            '|',
            {%- for column in same_session %}
                coalesce({{ column }}::varchar, '∅')
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        )) as session_key,
        * exclude (copy_number)
    from numbered
    where copy_number = 1
)

select * from final
