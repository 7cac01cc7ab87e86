-- The roster: each person's row from the newest roster batch that lists them.
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
        batches.loaded_at
    from people
    inner join batches on people.batch_id = batches.batch_id
),

final as (
    select *
    from people_selected
    qualify row_number() over (
        partition by person_key
        order by loaded_at desc, batch_id desc, source_line desc
    ) = 1
)

select * from final
