select
    batch_kind,
    count(*) as files,
    max(loaded_at) as last_loaded_at
from dq_file_loads
where is_in_effect
group by batch_kind
order by batch_kind
