-- Threshold sweep: for each candidate MQL threshold from 0 to 100 in steps of
-- var backtest_sweep_step (default 5), how many backtest leads would be MQLs (MQL-eligible as
-- the marts define it, int_leads_scored.is_mql_eligible, and lead_score at or above it),
-- precision (their conversion rate), recall (their share of all conversions), and
-- which candidate is the current mql_min_lead_score (rounded down to the step).

{%- set step = leadscore.whole_number_var('backtest_sweep_step', 5, 1) %}

with

outcomes as (

    select * from {{ ref('backtest_lead_outcomes') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

candidates as (

    {{ dbt.generate_series(100 // step + 1) }}

),

thresholds as (

    select cast((generated_number - 1) * {{ step }} as {{ type_double() }}) as mql_threshold
    from candidates

),

totals as (

    select sum(case when is_converted then 1 else 0 end) as all_conversions
    from outcomes

),

swept as (

    select
        thresholds.mql_threshold,
        count(outcomes.lead_id) as mql_leads,
        sum(case when outcomes.is_converted then 1 else 0 end) as mql_conversions
    from thresholds
    left join outcomes
        on
            thresholds.mql_threshold <= outcomes.lead_score
            and outcomes.is_mql_eligible
    group by thresholds.mql_threshold

),

final as (

    select
        swept.mql_threshold,
        swept.mql_leads,
        swept.mql_conversions,
        cast(swept.mql_conversions as {{ type_double() }}) / nullif(swept.mql_leads, 0)
            as precision_rate,
        cast(swept.mql_conversions as {{ type_double() }}) / nullif(totals.all_conversions, 0)
            as recall_rate,
        swept.mql_threshold = floor(settings.mql_min_lead_score / {{ step }}) * {{ step }}
            as is_current_threshold
    from swept
    cross join totals
    cross join settings

)

select * from final
order by mql_threshold
