-- One row per scoring date and scored lead without an opportunity known on that date: whether an
-- opportunity was opened (converted), or opened and won, within (date, date + horizon]. The one
-- definition of a conversion: the backtest mart reads it for its date D, `make calibrate` for
-- its training dates.

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

windows as (

    select
        score_as_of,
        known_before,
        {{ dbt.dateadd('day', backtest_horizon_days(), 'known_before') }} as horizon_ends_before,
        max(case when is_current then score_as_of end) over () as data_known_until
    from scoring_dates

),

-- Leads already converted on the date are no forecast any more.
open_leads as (

    select
        scored_leads.score_as_of,
        scored_leads.lead_id,
        windows.known_before,
        windows.horizon_ends_before,
        windows.data_known_until
    from scored_leads
    inner join windows
        on scored_leads.score_as_of = windows.score_as_of
    where not scored_leads.has_opportunity

),

outcomes as (

    select
        open_leads.score_as_of,
        open_leads.lead_id,
        min(opportunities.created_at) as first_opportunity_at,
        max(
            case
                when
                    opportunities.is_won
                    and opportunities.closed_at < open_leads.horizon_ends_before
                    then 1
                else 0
            end
        ) as is_won_in_horizon
    from open_leads
    inner join opportunities
        on
            open_leads.lead_id = opportunities.lead_id
            and open_leads.known_before <= opportunities.created_at
            and open_leads.horizon_ends_before > opportunities.created_at
    group by open_leads.score_as_of, open_leads.lead_id

),

final as (

    select
        open_leads.score_as_of,
        open_leads.lead_id,
        outcomes.lead_id is not null as is_converted,
        coalesce(outcomes.is_won_in_horizon, 0) = 1 as is_won,
        outcomes.first_opportunity_at,
        -- False when the data ends before the horizon does: conversions may still be missing.
        {{ dbt.dateadd('day', backtest_horizon_days(), 'open_leads.score_as_of') }}
        <= open_leads.data_known_until as is_horizon_observed
    from open_leads
    left join outcomes
        on
            open_leads.score_as_of = outcomes.score_as_of
            and open_leads.lead_id = outcomes.lead_id

)

select * from final
