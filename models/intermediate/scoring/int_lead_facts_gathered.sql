-- One row per scoring date and scorable lead: the facts of that date the scoring rules read,
-- gathered from the per-date models: the lead version in force (its BANT criteria), the
-- engagement points summed over the lead's rules, the points earned since its last lost
-- opportunity, its velocity, the first disqualification rule that matches (lowest rule_id),
-- and its opportunities as they stood on the date. int_leads_scored applies the rules to it.
--
-- Incremental per scoring date, like int_leads_scored: a run gathers the dates whose inputs
-- changed since they were stored (inputs_fingerprint) or whose seeds or SQL changed
-- (scored_with); a settled date keeps its rows.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates(ref('int_scoring_inputs_fingerprinted')) }}"
) }}

with

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'inputs_fingerprint') }}

),

-- The versions of the dates gathered, with what this run gathers them from and with (read
-- here once: joining dates_to_score a second time below made Spark's join reordering fail).
leads as (

    select
        lead_versions.*,
        dates_to_score.inputs_fingerprint as gathered_fingerprint,
        dates_to_score.scored_with as gathered_with
    from {{ ref('int_lead_versions_selected') }} as lead_versions
    inner join dates_to_score
        on lead_versions.score_as_of = dates_to_score.score_as_of

),

engagement as (

    select engagement_points.*
    from {{ ref('int_engagement_points_decayed') }} as engagement_points
    inner join dates_to_score
        on engagement_points.score_as_of = dates_to_score.score_as_of

),

disqualifications as (

    select rules_met.*
    from {{ ref('int_disqualifications_matched') }} as rules_met
    inner join dates_to_score
        on rules_met.score_as_of = dates_to_score.score_as_of

),

opportunities_dated as (

    select * from {{ ref('int_opportunities_dated') }}

),

-- Every per-date input is read for the dates gathered only: when a run gathers fewer dates
-- than are stored, DuckDB's join planner must not see these whole (it then hashed the 8.4M
-- lead-dates of a 1M-lead rescore, out of memory).
engagement_since_loss as (

    select since_loss.*
    from {{ ref('int_engagement_since_loss') }} as since_loss
    inner join dates_to_score
        on since_loss.score_as_of = dates_to_score.score_as_of

),

engagement_velocity as (

    select velocity.*
    from {{ ref('int_engagement_velocity') }} as velocity
    inner join dates_to_score
        on velocity.score_as_of = dates_to_score.score_as_of

),

-- Read by two CTEs below: not stored once per query (at 1M leads and 14 dates a stored copy
-- of every version column ran out of memory in a rescore).
scorable_leads as {{ leadscore.not_materialized() }} (

    select * from leads
    where rejection_reason is null

),

engagement_totals as (

    select
        score_as_of,
        lead_id,
        {{ exact_sum('capped_points') }} as engagement_points_total,
        {{ exact_sum('case when capped_points > 0 then capped_points else 0 end') }}
            as positive_engagement_points,
        max(case when capped_points > 0 then last_occurred_at end) as last_engaged_at
    from engagement
    group by score_as_of, lead_id

),

first_disqualifications as (

    select
        score_as_of,
        lead_id,
        disqualification_reason,
        row_number() over (partition by score_as_of, lead_id order by rule_id) as rule_rank
    from disqualifications

),

-- The opportunities of each scorable lead as they stood on the scoring date.
opportunities_known as (

    select opportunities_dated.*
    from scorable_leads
    inner join opportunities_dated
        on
            scorable_leads.score_as_of = opportunities_dated.score_as_of
            and scorable_leads.lead_id = opportunities_dated.lead_id

),

opportunity_leads as (

    select
        score_as_of,
        lead_id,
        max(case when stage_on_date = 'closed won' then 1 else 0 end) = 1 as has_won_opportunity,
        max(case when stage_on_date = 'open' then 1 else 0 end) = 1 as has_open_opportunity,
        max(case when stage_on_date = 'closed lost' then closed_at end) as last_lost_at,
        -- The stage a CRM sync shows: won, else open, else lost.
        case
            when max(case when stage_on_date = 'closed won' then 1 else 0 end) = 1
                then 'closed won'
            when max(case when stage_on_date = 'open' then 1 else 0 end) = 1 then 'open'
            else 'closed lost'
        end as opportunity_stage
    from opportunities_known
    group by score_as_of, lead_id

),

final as (

    select
        scorable_leads.score_as_of,
        scorable_leads.lead_id,
        scorable_leads.lead_row_id,
        scorable_leads.meets_bant_budget,
        scorable_leads.meets_bant_authority,
        scorable_leads.meets_bant_need,
        scorable_leads.meets_bant_timeline,
        coalesce(engagement_totals.engagement_points_total, 0) as engagement_points_summed,
        coalesce(engagement_totals.positive_engagement_points, 0) as positive_engagement_points,
        engagement_totals.last_engaged_at,
        first_disqualifications.disqualification_reason,
        opportunity_leads.lead_id is not null as has_opportunity,
        coalesce(opportunity_leads.has_open_opportunity, false) as has_open_opportunity,
        coalesce(opportunity_leads.has_won_opportunity, false) as has_won_opportunity,
        opportunity_leads.opportunity_stage,
        opportunity_leads.last_lost_at,
        coalesce(engagement_since_loss.engagement_since_loss, 0) as engagement_since_loss,
        coalesce(engagement_velocity.recent_points, 0) as recent_engagement_points,
        engagement_velocity.velocity_ratio,
        coalesce(engagement_velocity.is_surging, false) as is_surging,
        scorable_leads.gathered_fingerprint as inputs_fingerprint,
        scorable_leads.gathered_with as scored_with
    from scorable_leads
    left join engagement_totals
        on
            scorable_leads.score_as_of = engagement_totals.score_as_of
            and scorable_leads.lead_id = engagement_totals.lead_id
    left join first_disqualifications
        on
            scorable_leads.score_as_of = first_disqualifications.score_as_of
            and scorable_leads.lead_id = first_disqualifications.lead_id
            and first_disqualifications.rule_rank = 1
    left join opportunity_leads
        on
            scorable_leads.score_as_of = opportunity_leads.score_as_of
            and scorable_leads.lead_id = opportunity_leads.lead_id
    left join engagement_since_loss
        on
            scorable_leads.score_as_of = engagement_since_loss.score_as_of
            and scorable_leads.lead_id = engagement_since_loss.lead_id
    left join engagement_velocity
        on
            scorable_leads.score_as_of = engagement_velocity.score_as_of
            and scorable_leads.lead_id = engagement_velocity.lead_id

)

select * from final
