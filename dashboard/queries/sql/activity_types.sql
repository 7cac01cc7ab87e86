-- Every activity type with its names and category.
select
    activity_type_code,
    name_zh,
    name_en,
    activity_category
from dim_activity_types
order by activity_type_code
