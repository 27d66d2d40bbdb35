-- One row per day from 2015 to 2035: the time spine dbt's semantic layer requires for the
-- metrics in models/marts/metrics (MetricFlow joins metrics to it by day).

with

days as (

    {{ dbt.date_spine(
        'day',
        "cast('2015-01-01' as date)",
        "cast('2036-01-01' as date)"
    ) }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
