-- The activity batches whose rows entered or left the build since the last
-- build recorded its batches (int_activity_batches_built): newly loaded ones,
-- superseded ones, and those `as_of` adds or removes. Without such a record
-- (a first or full build) every selected batch counts as changed.
{% set built = adapter.get_relation(
    database=this.database,
    schema=this.schema,
    identifier='int_activity_batches_built',
) %}

with

selected as (
    select batch_id
    from {{ ref('int_batches_selected') }}
    where batch_kind = 'activity'
),

{% if built is not none and not flags.FULL_REFRESH %}
    built as (
        select batch_id from {{ built }}
    ),

    entered as (
        select batch_id from selected
        except
        select batch_id from built
    ),

    left_build as (
        select batch_id from built
        except
        select batch_id from selected
    ),

    final as (
        select batch_id from entered
        union all
        select batch_id from left_build
    )
{% else %}
    final as (
        select batch_id from selected
    )
{% endif %}

select * from final
