-- Every month in which a session could exist: from 2000-01 (the earliest date
-- ingest accepts) to the month of the data cut-off, or of the latest activity
-- when that is later (`int_data_cutoff`, span_end_date).
-- Monthly marts have a row for each, so any period a report asks for is read,
-- never made up.
with

cutoff as (
    select * from {{ ref('int_data_cutoff') }}
),

final as (
    select
        month_start::date as month_start,
        (month_start + interval 1 month - interval 1 day)::date as month_end,
        {{ month_label('month_start') }} as month
    from cutoff,
        {{ date_series(
            "date '2000-01-01'",
            "date_trunc('month', span_end_date)",
            'interval 1 month',
        ) }} as months (month_start)
)

select * from final
