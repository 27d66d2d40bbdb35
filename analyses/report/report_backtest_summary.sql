-- The backtest in one row: its date and horizon, the leads it judged and how many converted,
-- and the MQLs on the backtest date (stage mql or sql, as the marts define them) with how many
-- of those converted: the volume, precision and recall at the MQL threshold.

with

outcomes as (

    select * from {{ ref('backtest_lead_outcomes') }}

),

final as (

    select
        min(backtest_as_of) as backtest_as_of,
        min(horizon_days) as horizon_days,
        count(*) as leads,
        count(*) filter (where is_converted) as conversions,
        coalesce(bool_and(is_horizon_observed), false) as is_horizon_observed,
        count(*) filter (where lifecycle_stage in ('mql', 'sql')) as mqls,
        count(*) filter (
            where is_converted and lifecycle_stage in ('mql', 'sql')
        ) as converted_mqls
    from outcomes

)

select * from final
