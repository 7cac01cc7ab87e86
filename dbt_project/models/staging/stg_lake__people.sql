with

people as (
    select * from {{ source('lake', 'people') }}
),

final as (
    select
        batch_id,
        source_line,
        person_id_key as person_key,
        id_number_key,
        phone_key,
        is_id_number_damaged,
        person_name,
        gender,
        person_type as person_type_label,
        role,
        org_code,
        org_name,
        joined_date::date as joined_date,
        left_date::date as left_date,
        effective_date::date as effective_date
    from people
)

select * from final
