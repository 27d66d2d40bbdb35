-- One row per scoring date and opportunity known on it: the one definition of "an opportunity
-- as it stood on the scoring date". Known once created before the date; won or lost once
-- closed before it (a closed row without closed_at counts as closed when it was created), else
-- open. Read by int_leads_scored (the lead's opportunity stage) and int_engagement_since_loss
-- (the last loss).

with

-- The usable rows only (int_opportunities_checked: an id, a lead, a creation time).
opportunities as (

    select * from {{ ref('int_opportunities_checked') }}
    where rejection_reason is null

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

final as (

    select
        scoring_dates.score_as_of,
        opportunities.opportunity_row_id,
        opportunities.lead_id,
        case
            when
                opportunities.opportunity_stage in ('closed won', 'closed lost')
                and coalesce(opportunities.closed_at, opportunities.created_at)
                < scoring_dates.known_before
                then opportunities.opportunity_stage
            else 'open'
        end as stage_on_date,
        coalesce(opportunities.closed_at, opportunities.created_at) as closed_at,
        opportunities.created_at
    from opportunities
    inner join scoring_dates
        on opportunities.created_at < scoring_dates.known_before

)

select * from final
