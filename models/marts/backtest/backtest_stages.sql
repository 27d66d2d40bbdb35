-- One row per lifecycle stage: backtest leads in the stage on D (the stage the marts show, from
-- int_leads_scored), how many converted or won within the horizon, conversion rate, lift over
-- the overall rate and share of all conversions.

with

outcomes as (

    select * from {{ ref('backtest_lead_outcomes') }}

),

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

staged as (

    select
        lifecycle_stages.lifecycle_stage,
        lifecycle_stages.stage_order,
        count(outcomes.lead_id) as leads,
        cast(sum(case when outcomes.is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as conversions,
        cast(sum(case when outcomes.is_won then 1 else 0 end) as {{ dbt.type_bigint() }}) as wins
    from lifecycle_stages
    left join outcomes
        on lifecycle_stages.lifecycle_stage = outcomes.lifecycle_stage
    group by lifecycle_stages.lifecycle_stage, lifecycle_stages.stage_order

),

totals as (

    select
        sum(leads) as all_leads,
        sum(conversions) as all_conversions
    from staged

),

final as (

    select
        staged.lifecycle_stage,
        staged.stage_order,
        staged.leads,
        coalesce(staged.conversions, 0) as conversions,
        coalesce(staged.wins, 0) as wins,
        case
            when staged.leads > 0
                then cast(staged.conversions as {{ type_double() }}) / staged.leads
        end as conversion_rate,
        case
            when staged.leads > 0 and totals.all_conversions > 0
                then
                    (cast(staged.conversions as {{ type_double() }}) / staged.leads)
                    / (cast(totals.all_conversions as {{ type_double() }}) / totals.all_leads)
        end as lift,
        case
            when totals.all_conversions > 0
                then
                    cast(coalesce(staged.conversions, 0) as {{ type_double() }})
                    / totals.all_conversions
        end as conversion_share
    from staged
    cross join totals

)

select * from final
