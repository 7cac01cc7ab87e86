select
    activity_type_label,
    sessions,
    approved_sessions,
    approved_minutes,
    first_activity_date,
    last_activity_date,
    source_files
from dq_unmapped_activity_labels
order by approved_minutes desc, activity_type_label asc
