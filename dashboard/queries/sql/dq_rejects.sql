select
    source_file,
    reason_code,
    rejected_rows,
    example_lines,
    example_columns,
    example_values
from dq_rejects_by_reason
order by source_file, first_line
