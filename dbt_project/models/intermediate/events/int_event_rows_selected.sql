-- Event-summary rows of the batches a build reads (selected like activity
-- batches, int_batches_selected), with their file, load time and event_key:
-- the fingerprint of every summary column after normalization (DESIGN.md:
-- exact duplicates among summary rows count once). A summary row is never
-- matched against log rows.
{% set same_event = [
    'org_code', 'org_name', 'activity_date', 'activity_type_label',
    'activity_title', 'location', 'community', 'participants', 'hours',
    'hours_each', 'event_minutes', 'status',
] %}

with

events as (
    select * from {{ ref('stg_lake__events') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

final as (
    select
        {{ row_fingerprint(same_event) }} as event_key,
        events.*,
        batches.source_file,
        batches.loaded_at
    from events
    inner join batches on events.batch_id = batches.batch_id
)

select * from final
