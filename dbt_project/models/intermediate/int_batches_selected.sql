-- The batches a build reads: every batch not superseded or, with `as_of`, the
-- batches that were loaded and not yet superseded at that moment. `as_of`
-- comes in the environment (DBT_AS_OF, set by python -m publish), not as a
-- dbt var: a var that changes makes dbt parse the whole project again, an env
-- var only the files that read it.
{%- set as_of = env_var('DBT_AS_OF', '') %}
with

batches as (
    select * from {{ ref('stg_lake__batches') }}
),

final as (
    select *
    from batches
    {% if as_of %}
        where
            loaded_at <= '{{ as_of }}'::timestamp
            and (
                superseded_at is null
                or superseded_at > '{{ as_of }}'::timestamp
            )
    {% else %}
        where superseded_at is null
    {% endif %}
)

select * from final
