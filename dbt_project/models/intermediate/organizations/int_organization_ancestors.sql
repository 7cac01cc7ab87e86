-- The organization tree as a closure: each organization with itself (depth 0)
-- and every organization above it through parent_org_code (depth 1 = its
-- parent, and so on). A parent code that is not in the organizations file ends
-- the climb. Kept apart from int_organizations_attributed because dbt cannot
-- unit-test a model with recursive SQL: this model only climbs, the attribution
-- rules live (and are unit-tested) there.
with recursive

organizations as (
    select * from {{ ref('int_organizations_latest') }}
),

climb as (
    select
        org_code,
        org_code as ancestor_code,
        parent_org_code,
        0 as depth
    from organizations
    union all
    select
        climb.org_code,
        parent.org_code as ancestor_code,
        parent.parent_org_code,
        climb.depth + 1 as depth
    from climb
    inner join organizations as parent
        on climb.parent_org_code = parent.org_code
    -- a cycle in parent codes stops here instead of recursing for ever
    where climb.depth < 20
),

final as (
    -- in a cycle an organization meets an ancestor again: keep the nearest
    select
        org_code,
        ancestor_code,
        min(depth) as depth
    from climb
    group by org_code, ancestor_code
)

select * from final
