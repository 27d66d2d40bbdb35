-- One row per week of lead creation (weeks start on Monday): how many of the week's leads reached
-- MQL, SQL, an opportunity and a won deal by this build's scoring date, the conversion from each
-- stage to the next, and the average days between stages. MQL and SQL dates are the scoring
-- dates on which the score log first held the stage (lead_stage_changes); opportunity and
-- customer dates are the CRM's (opened, won) as known on the scoring date. Days to MQL and SQL
-- are averaged only over leads created after the history began (earlier leads already in a
-- stage then count from the first build, so their days would be wrong).

with

scored_leads as (

    select * from {{ ref('qualified_leads') }}

),

stage_changes as (

    select * from {{ ref('lead_stage_changes') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

current_date_row as (

    select * from scoring_dates
    where is_current

),

lead_opportunities as (

    select
        opportunities.lead_id,
        min(opportunities.created_at) as first_opportunity_at,
        min(
            case
                when
                    opportunities.is_won
                    and coalesce(opportunities.closed_at, opportunities.created_at)
                    < current_date_row.known_before
                    then coalesce(opportunities.closed_at, opportunities.created_at)
            end
        ) as first_won_at
    from opportunities
    inner join current_date_row
        on opportunities.created_at < current_date_row.known_before
    group by opportunities.lead_id

),

history_start as (

    select
        cast(min(first_scored_date) as {{ dbt.type_timestamp() }}) as first_logged_at
    from stage_changes

),

journeys as (

    select
        scored_leads.lead_id,
        {{ dbt.date_trunc('week', 'scored_leads.created_at') }} as entry_week_start,
        stage_changes.became_mql_date,
        stage_changes.became_sql_date,
        lead_opportunities.first_opportunity_at,
        lead_opportunities.first_won_at,
        -- Days to MQL and SQL count only for leads created after the history began.
        case
            when scored_leads.created_at >= history_start.first_logged_at
                then {{ dbt.datediff(
                    'cast(scored_leads.created_at as date)', 'stage_changes.became_mql_date', 'day'
                ) }}
        end as days_lead_to_mql,
        case
            when scored_leads.created_at >= history_start.first_logged_at
                then {{ dbt.datediff(
                    'stage_changes.became_mql_date', 'stage_changes.became_sql_date', 'day'
                ) }}
        end as days_mql_to_sql,
        case
            when
                cast(lead_opportunities.first_opportunity_at as date)
                >= stage_changes.became_sql_date
                then {{ dbt.datediff(
                    'stage_changes.became_sql_date',
                    'cast(lead_opportunities.first_opportunity_at as date)',
                    'day'
                ) }}
        end as days_sql_to_opportunity,
        {{ dbt.datediff(
            'cast(lead_opportunities.first_opportunity_at as date)',
            'cast(lead_opportunities.first_won_at as date)',
            'day'
        ) }} as days_opportunity_to_customer
    from scored_leads
    cross join history_start
    left join stage_changes
        on scored_leads.lead_id = stage_changes.lead_id
    left join lead_opportunities
        on scored_leads.lead_id = lead_opportunities.lead_id
    where scored_leads.created_at is not null

),

weekly as (

    select
        cast(entry_week_start as date) as entry_week,
        count(*) as leads,
        sum(case when became_mql_date is not null then 1 else 0 end) as mqls,
        sum(case when became_sql_date is not null then 1 else 0 end) as sqls,
        sum(case when first_opportunity_at is not null then 1 else 0 end) as opportunities,
        sum(case when first_won_at is not null then 1 else 0 end) as customers,
        sum(
            case
                when became_sql_date is not null and first_opportunity_at is not null then 1
                else 0
            end
        ) as sqls_with_opportunity,
        avg(cast(days_lead_to_mql as {{ type_double() }})) as avg_days_lead_to_mql,
        avg(cast(days_mql_to_sql as {{ type_double() }})) as avg_days_mql_to_sql,
        avg(cast(days_sql_to_opportunity as {{ type_double() }})) as avg_days_sql_to_opportunity,
        avg(cast(days_opportunity_to_customer as {{ type_double() }}))
            as avg_days_opportunity_to_customer
    from journeys
    group by cast(entry_week_start as date)

),

-- MQL and SQL come from the score log: for weeks created before it began they are unknown
-- (null), not zero. Opportunities and customers come from the CRM and are always known.
observed as (

    select
        weekly.*,
        -- No history yet (a first build that wrote none): nothing observed.
        coalesce(
            cast(weekly.entry_week as {{ dbt.type_timestamp() }}) >= history_start.first_logged_at,
            false
        ) as is_stage_history_observed
    from weekly
    cross join history_start

),

final as (

    select
        observed.entry_week,
        observed.is_stage_history_observed,
        cast(observed.leads as {{ dbt.type_bigint() }}) as leads,
        case
            when observed.is_stage_history_observed
                then cast(observed.mqls as {{ dbt.type_bigint() }})
        end as mqls,
        case
            when observed.is_stage_history_observed
                then cast(observed.sqls as {{ dbt.type_bigint() }})
        end as sqls,
        cast(observed.opportunities as {{ dbt.type_bigint() }}) as opportunities,
        cast(observed.customers as {{ dbt.type_bigint() }}) as customers,
        case
            when observed.is_stage_history_observed
                then cast(observed.mqls as {{ type_double() }}) / observed.leads
        end as lead_to_mql_rate,
        case
            when observed.is_stage_history_observed and observed.mqls > 0
                then cast(observed.sqls as {{ type_double() }}) / observed.mqls
        end as mql_to_sql_rate,
        case
            when observed.is_stage_history_observed and observed.sqls > 0
                then cast(observed.sqls_with_opportunity as {{ type_double() }}) / observed.sqls
        end as sql_to_opportunity_rate,
        case
            when observed.opportunities > 0
                then cast(observed.customers as {{ type_double() }}) / observed.opportunities
        end as opportunity_to_customer_rate,
        observed.avg_days_lead_to_mql,
        observed.avg_days_mql_to_sql,
        observed.avg_days_sql_to_opportunity,
        observed.avg_days_opportunity_to_customer,
        current_date_row.score_as_of
    from observed
    cross join current_date_row

)

select * from final
