-- Gains table: backtest leads in ten equal groups by lead_score (decile 1 = highest scores),
-- with conversions, conversion rate, lift, and the cumulative share of leads and conversions.
-- Ties across a decile edge are split by lead_id, so every decile has the same size.

with

outcomes as (

    select * from {{ ref('backtest_lead_outcomes') }}

),

ranked as (

    select
        lead_id,
        lead_score,
        is_converted,
        ntile(10) over (order by lead_score desc, lead_id asc) as decile
    from outcomes

),

deciles as (

    select
        decile,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as conversions,
        min(lead_score) as min_lead_score,
        max(lead_score) as max_lead_score
    from ranked
    group by decile

),

totals as (

    select
        sum(leads) as all_leads,
        sum(conversions) as all_conversions
    from deciles

),

final as (

    select
        deciles.decile,
        deciles.leads,
        deciles.conversions,
        deciles.min_lead_score,
        deciles.max_lead_score,
        cast(deciles.conversions as {{ type_double() }}) / deciles.leads as conversion_rate,
        (cast(deciles.conversions as {{ type_double() }}) / deciles.leads)
        / nullif(cast(totals.all_conversions as {{ type_double() }}) / totals.all_leads, 0)
            as lift,
        cast(sum(deciles.leads) over (
            order by deciles.decile rows between unbounded preceding and current row
        ) as {{ type_double() }}) / totals.all_leads as cumulative_lead_share,
        cast(sum(deciles.conversions) over (
            order by deciles.decile rows between unbounded preceding and current row
        ) as {{ type_double() }}) / nullif(totals.all_conversions, 0) as cumulative_conversion_share
    from deciles
    cross join totals

)

select * from final
order by decile
