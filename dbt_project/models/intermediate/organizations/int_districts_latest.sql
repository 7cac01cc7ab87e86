-- Each district's row from the newest batch that lists it.
with

districts as (
    select * from {{ ref('stg_lake__districts') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

districts_selected as (
    select
        districts.*,
        batches.loaded_at
    from districts
    inner join batches on districts.batch_id = batches.batch_id
),

final as (
    select *
    from districts_selected
    qualify row_number() over (
        partition by district_code
        order by loaded_at desc, batch_id desc, source_line desc
    ) = 1
)

select * from final
