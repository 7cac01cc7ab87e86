-- The duplicates removed per file add up to the copies the fact says it
-- dropped, counted from the kept side and from the removed side alike, and
-- every activity row landed is either a session or a removed copy; the same
-- for event-summary rows (dq_duplicates_by_file lists their files too, with
-- the summary rows kept of every status, int_events_deduplicated). Returns a
-- row when any of these differ.
with

files as (
    select
        coalesce(sum(rows_landed), 0) as rows_landed,
        coalesce(sum(duplicates_removed), 0) as duplicates_removed,
        coalesce(sum(copies_of_its_sessions), 0) as copies_of_its_sessions
    from {{ ref('dq_duplicates_by_file') }}
),

kept as (
    select duplicates_removed from {{ ref('fct_volunteer_sessions') }}
    union all
    select duplicates_removed from {{ ref('int_events_deduplicated') }}
),

sessions as (
    select
        count(*) as sessions,
        coalesce(sum(duplicates_removed), 0) as duplicates_removed
    from kept
)

select
    files.rows_landed,
    files.duplicates_removed,
    files.copies_of_its_sessions,
    sessions.sessions,
    sessions.duplicates_removed as fact_duplicates_removed
from files, sessions
where
    files.duplicates_removed <> sessions.duplicates_removed
    or files.copies_of_its_sessions <> sessions.duplicates_removed
    or files.rows_landed <> sessions.sessions + sessions.duplicates_removed
