-- Every landed activity row of every batch, with its session_key: the
-- fingerprint of the columns that make two rows the same session (DESIGN.md
-- "Exact duplicates": keys stand for the numbers; dates, times and numbers
-- compare as values; status as approved/pending/rejected).
-- Incremental, by batch: batches are immutable, so a run only adds the rows
-- of batches it has not seen (superseded ones stay; int_activity_rows_selected
-- picks the batches a build reads, so `as_of` can go back to them).
{{ config(
    materialized='incremental',
    unique_key='batch_id',
    **incremental_by_batch()
) }}

{% set same_session = [
    'person_id_key', 'id_number_key', 'phone_key', 'person_name',
    'org_code', 'org_name', 'activity_date', 'start_time', 'end_time',
    'hours', 'minutes', 'activity_type_label', 'activity_title',
    'location', 'community', 'status',
] %}

with

activity_rows as (
    select * from {{ ref('stg_lake__activity_rows') }}
    {% if is_incremental() %}
        where batch_id not in (select kept.batch_id from {{ this }} as kept)
    {% endif %}
),

final as (
    select
        {{ row_fingerprint(same_session) }} as session_key,
        *
    from activity_rows
)

select * from final
