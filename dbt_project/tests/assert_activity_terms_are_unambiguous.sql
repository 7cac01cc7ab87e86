-- A label must match at most one activity type: returns every normalized term
-- (code, name or alias) that two types of the seed share.
with

terms as (
    {{ seed_terms('activity_types', 'activity_type_code') }}
)

select
    term,
    count(distinct code) as types
from terms
group by term
having count(distinct code) > 1
