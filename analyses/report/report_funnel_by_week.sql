-- The funnel by week of creation (funnel_conversion), oldest week first.

with

funnel as (

    select * from {{ ref('funnel_conversion') }}

),

final as (

    select
        entry_week,
        is_stage_history_observed,
        leads,
        mqls,
        lead_to_mql_rate,
        sqls,
        mql_to_sql_rate,
        opportunities,
        customers,
        opportunity_to_customer_rate
    from funnel

)

select * from final
order by entry_week
