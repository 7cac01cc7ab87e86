select
    source_file,
    rows_landed,
    sessions_kept,
    duplicates_removed
from dq_duplicates_by_file
order by source_file
