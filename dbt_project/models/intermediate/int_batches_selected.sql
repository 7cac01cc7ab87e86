-- The batches a build reads: every batch not superseded or, with `as_of`, the
-- batches that were loaded and not yet superseded at that moment.
with

batches as (
    select * from {{ ref('stg_lake__batches') }}
),

final as (
    select *
    from batches
    {% if var('as_of') %}
        where
            loaded_at <= '{{ var("as_of") }}'::timestamp
            and (
                superseded_at is null
                or superseded_at > '{{ var("as_of") }}'::timestamp
            )
    {% else %}
        where superseded_at is null
    {% endif %}
)

select * from final
