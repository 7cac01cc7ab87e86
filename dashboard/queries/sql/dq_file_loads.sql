select
    source_file,
    batch_kind,
    loaded_at,
    rows_read,
    rows_loaded,
    rows_rejected,
    load_status
from dq_file_loads
order by loaded_at, source_file
