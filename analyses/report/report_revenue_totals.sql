-- The revenue page's headline: leads per stage today, hot leads, the hand-off, the median lead
-- score and how many leads are at or above the MQL threshold, the first date ever scored.

with

leads as (

    select * from {{ ref('qualified_leads') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

handoff as (

    select count(*) as handed_off from {{ ref('sales_handoff') }}

),

first_build as (

    select min(first_scored_date) as first_build from {{ ref('lead_stage_changes') }}

),

totals as (

    select
        count(*) as leads,
        count(*) filter (where leads.lifecycle_stage = 'mql') as mqls,
        count(*) filter (where leads.lifecycle_stage = 'sql') as sqls,
        count(*) filter (where leads.is_hot) as hot,
        count(*) filter (where leads.lifecycle_stage = 'opportunity') as opportunities,
        count(*) filter (where leads.lifecycle_stage = 'customer') as customers,
        max(leads.score_as_of) as score_as_of,
        max(leads.scoring_version) as scoring_version,
        median(leads.lead_score) as median_score,
        count(*) filter (
            where leads.lead_score >= settings.mql_min_lead_score
        ) as at_or_above_mql_threshold
    from leads
    cross join settings

),

final as (

    select
        totals.*,
        handoff.handed_off,
        first_build.first_build
    from totals
    cross join handoff
    cross join first_build

)

select * from final
