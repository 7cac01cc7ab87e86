-- The activity categories (`other`, unmapped labels, last).
select distinct activity_category
from dim_activity_types
order by activity_category = 'other', activity_category
