-- dim_people is a history; each person has exactly one current row (the
-- dashboard and exports pick names and types from it).
select
    person_key,
    count(*) filter (where is_current) as current_rows
from {{ ref('dim_people') }}
group by person_key
having count(*) filter (where is_current) <> 1
