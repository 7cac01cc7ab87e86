-- Every word a label is matched against (a type's code, names and aliases,
-- trimmed and lower-cased) with the one type it stands for. A word two types
-- share goes to the type from the inbox (the bureau's word wins over the
-- seed's), else to the first code in order.
with

activity_types as (
    select * from {{ ref('int_activity_types_merged') }}
),

terms as (
    {{ seed_terms(
        'activity_types', 'activity_type_code',
        relation=ref('int_activity_types_merged')
    ) }}
),

terms_ranked as (
    select
        terms.term,
        terms.code as activity_type_code,
        row_number() over (
            partition by terms.term
            order by
                case when activity_types.defined_in = 'inbox' then 0 else 1 end,
                terms.code
        ) as term_rank
    from terms
    inner join activity_types
        on terms.code = activity_types.activity_type_code
),

final as (
    select
        term,
        activity_type_code
    from terms_ranked
    where term_rank = 1
)

select * from final
