-- Each organization's row from the newest batch that lists it.
with

organizations as (
    select * from {{ ref('stg_lake__organizations') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

organizations_selected as (
    select
        organizations.*,
        batches.loaded_at
    from organizations
    inner join batches on organizations.batch_id = batches.batch_id
),

final as (
    select *
    from organizations_selected
    qualify row_number() over (
        partition by org_code
        order by loaded_at desc, batch_id desc, source_line desc
    ) = 1
)

select * from final
