select
    org_code_label,
    org_name_label,
    reason,
    sessions,
    approved_sessions,
    approved_minutes,
    source_files
from dq_unknown_organizations
order by approved_minutes desc, org_code_label asc
