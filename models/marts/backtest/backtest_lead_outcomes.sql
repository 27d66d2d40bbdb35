-- One row per lead scored as of the backtest date D that had not converted by then: its scores
-- and stage as of D (the same int_leads_scored rows as the mart, for date D) and whether an
-- opportunity was opened, or won, within (D, D + backtest_horizon_days], as
-- int_lead_outcomes_observed defines it.

with

scored_leads as (

    select * from {{ ref('int_leads_scored') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

lead_outcomes as (

    select * from {{ ref('int_lead_outcomes_observed') }}

),

final as (

    select
        scored_leads.lead_id,
        scored_leads.score_as_of as backtest_as_of,
        {{ backtest_horizon_days() }} as horizon_days,
        scored_leads.fit_score,
        scored_leads.engagement_score,
        scored_leads.lead_score,
        scored_leads.fit_grade,
        scored_leads.engagement_level,
        scored_leads.priority,
        scored_leads.lifecycle_stage,
        scored_leads.is_mql_eligible,
        scored_leads.is_hot,
        lead_outcomes.is_converted,
        lead_outcomes.is_won,
        lead_outcomes.first_opportunity_at,
        lead_outcomes.is_horizon_observed
    from scored_leads
    inner join scoring_dates
        on scored_leads.score_as_of = scoring_dates.score_as_of
    -- Leads converted on D have no outcome row: they are no forecast any more.
    inner join lead_outcomes
        on
            scored_leads.score_as_of = lead_outcomes.score_as_of
            and scored_leads.lead_id = lead_outcomes.lead_id
    -- No row when var backtest_as_of is 'off'.
    where scoring_dates.is_backtest

)

select * from final
