-- One row per scoring date and lead with a lost opportunity known on it: the latest loss, and
-- the engagement the lead earned after it (events with positive points, decayed to the scoring
-- date, each engagement rule within its cap). A lead that lost a deal is recycled until this is
-- above 0, and qualifies again only when it reaches mql_min_engagement_score: interest shown
-- before the loss does not send it back to sales.
--
-- A view: the points and caps of the seeds applied to the stored decayed counts
-- (int_engagement_since_loss_counted), so a weight edit reads no event again.
{{ config(materialized='view') }}

with

counts_since_loss as (

    select * from {{ ref('int_engagement_since_loss_counted') }}

),

engagement_rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

per_rule as (

    select
        counts_since_loss.score_as_of,
        counts_since_loss.lead_id,
        counts_since_loss.last_lost_at,
        case
            when engagement_rules.points <= 0 then 0
            when
                counts_since_loss.decayed_count * engagement_rules.points
                > engagement_rules.max_points_per_lead
                then cast(engagement_rules.max_points_per_lead as {{ type_double() }})
            else counts_since_loss.decayed_count * engagement_rules.points
        end as capped_points
    from counts_since_loss
    left join engagement_rules
        on counts_since_loss.rule_key = engagement_rules.rule_key

),

final as (

    select
        score_as_of,
        lead_id,
        last_lost_at,
        coalesce({{ exact_sum('capped_points') }}, 0) as engagement_since_loss
    from per_rule
    group by score_as_of, lead_id, last_lost_at

)

select * from final
