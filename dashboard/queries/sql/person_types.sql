-- The person types in the snapshot (`unknown`, people off the roster, last).
select distinct person_type
from dim_people
order by person_type = 'unknown', person_type
