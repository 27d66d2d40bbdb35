-- One row per lead scored as of the backtest date D that had not converted by then: its scores
-- and stage as of D (the same int_leads_scored rows as the mart, for date D) and whether an
-- opportunity was opened, or won, within (D, D + backtest_horizon_days].

with

scored_leads as (

    select * from {{ ref('int_leads_scored') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

backtest_window as (

    select
        score_as_of,
        known_before,
        {{ dbt.dateadd('day', backtest_horizon_days(), 'known_before') }} as horizon_ends_before,
        max(case when is_current then score_as_of end) over () as data_known_until
    from scoring_dates

),

backtest_date as (

    select * from backtest_window
    -- No row when var backtest_as_of is 'off'.
    where score_as_of = {{ backtest_as_of() }}

),

leads_at_d as (

    select
        scored_leads.*,
        backtest_date.known_before,
        backtest_date.horizon_ends_before,
        backtest_date.data_known_until
    from scored_leads
    inner join backtest_date
        on scored_leads.score_as_of = backtest_date.score_as_of
    -- Leads already converted on D are no forecast any more.
    where not scored_leads.has_opportunity

),

outcomes as (

    select
        leads_at_d.lead_id,
        min(opportunities.created_at) as first_opportunity_at,
        max(
            case
                when
                    opportunities.is_won
                    and opportunities.closed_at < leads_at_d.horizon_ends_before
                    then 1
                else 0
            end
        ) as is_won_in_horizon
    from leads_at_d
    inner join opportunities
        on
            leads_at_d.lead_id = opportunities.lead_id
            and leads_at_d.known_before <= opportunities.created_at
            and leads_at_d.horizon_ends_before > opportunities.created_at
    group by leads_at_d.lead_id

),

final as (

    select
        leads_at_d.lead_id,
        leads_at_d.score_as_of as backtest_as_of,
        {{ backtest_horizon_days() }} as horizon_days,
        leads_at_d.fit_score,
        leads_at_d.engagement_score,
        leads_at_d.lead_score,
        leads_at_d.fit_grade,
        leads_at_d.engagement_level,
        leads_at_d.priority,
        leads_at_d.lifecycle_stage,
        leads_at_d.is_hot,
        outcomes.lead_id is not null as is_converted,
        coalesce(outcomes.is_won_in_horizon, 0) = 1 as is_won,
        outcomes.first_opportunity_at,
        -- False when the data ends before the horizon does: conversions may still be missing.
        {{ dbt.dateadd('day', backtest_horizon_days(), 'leads_at_d.score_as_of') }}
        <= leads_at_d.data_known_until as is_horizon_observed
    from leads_at_d
    left join outcomes
        on leads_at_d.lead_id = outcomes.lead_id

)

select * from final
