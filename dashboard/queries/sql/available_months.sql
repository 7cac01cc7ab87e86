-- Every month from the first to the last with an approved session.
with

bounds as (
    select
        strptime(min(month), '%Y-%m') as first_month,
        strptime(max(month), '%Y-%m') as last_month
    from agg_dashboard_cells
    where person_times > 0
),

final as (
    select
        strftime(
            unnest(generate_series(first_month, last_month, interval 1 month)),
            '%Y-%m'
        ) as month
    from bounds
)

select * from final
order by month
