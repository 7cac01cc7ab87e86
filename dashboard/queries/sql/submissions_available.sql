-- Whether the snapshot holds dq_submissions (one built before it did not).
select count(*) as found
from duckdb_tables()
where table_name = 'dq_submissions' and database_name = current_database()
