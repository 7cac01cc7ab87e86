-- The roster as a history: each roster batch is the roster as of its
-- `effective_date` column or, when a row has none, the day the batch was
-- loaded. A person's version takes effect on that date and lasts until the
-- day before their next version; of two versions on the same date the one
-- loaded last wins. The first version also covers the time before it (the
-- earliest roster we have is the best account of earlier months), so
-- `valid_from` is 2000-01-01 (the first valid activity date) for it, and the
-- last version is open (`valid_to` 9999-12-31).
with

people as (
    select * from {{ ref('stg_lake__people') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

people_selected as (
    select
        people.*,
        batches.loaded_at,
        coalesce(
            people.effective_date, batches.loaded_at::date
        ) as effective_from
    from people
    inner join batches on people.batch_id = batches.batch_id
),

one_per_date as (
    select *
    from people_selected
    qualify row_number() over (
        partition by person_key, effective_from
        order by loaded_at desc, batch_id desc, source_line desc
    ) = 1
),

numbered as (
    select
        *,
        row_number() over (
            partition by person_key order by effective_from
        ) as version_number
    from one_per_date
),

final as (
    select
        {{ star_except(['effective_from', 'version_number']) }},
        effective_from,
        case
            when version_number = 1 then '2000-01-01'::date
            else effective_from
        end as valid_from,
        coalesce(
            lead(effective_from) over (
                partition by person_key order by effective_from
            ) - 1,
            '9999-12-31'::date
        ) as valid_to
    from numbered
)

select * from final
