-- One row per scoring date, lead with a lost opportunity known on it, and engagement rule
-- the lead earned events of after that loss: the latest loss and the rule's events after it,
-- decayed to the scoring date (decayed_count; rule_key 'none' and decayed_count 0 for a lead
-- with no event after its loss). Counts, not points: int_engagement_since_loss applies the points
-- and caps of the seeds, so a weight edit never reads these events again.
--
-- Incremental per scoring date: a run computes the dates whose inputs changed since they were
-- stored (inputs_fingerprint: lead versions, events, opportunities and the half-lives), or
-- whose SQL changed; seeds only through that fingerprint (include_seeds=false).
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates(ref('int_scoring_inputs_fingerprinted')) }}"
) }}

with

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'inputs_fingerprint', include_seeds=false) }}

),

engagement_rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

opportunities_dated as (

    select * from {{ ref('int_opportunities_dated') }}

),

losses as (

    select
        opportunities_dated.score_as_of,
        opportunities_dated.lead_id,
        max(opportunities_dated.closed_at) as last_lost_at
    from opportunities_dated
    inner join dates_to_score
        on opportunities_dated.score_as_of = dates_to_score.score_as_of
    where opportunities_dated.stage_on_date = 'closed lost'
    group by opportunities_dated.score_as_of, opportunities_dated.lead_id

),

-- The event days of the leads with a loss only (int_event_days_resolved's rule, restricted).
loser_event_days as (

    {{ resolved_event_days(
        ref('int_scoring_dates_listed'), ref('int_event_days_aggregated'),
        ref('int_lead_versions_selected'),
        only_leads='select score_as_of, lead_id from losses',
        dates='select score_as_of from dates_to_score'
    ) }}

),

event_days_aged as (

    select
        *,
        {{ dbt.datediff(
            'event_date', 'score_as_of', 'day'
        ) }} as age_days
    from loser_event_days
    where rejection_reason is null

),

-- Days whose last event came after the loss (the day of the loss counts when it ended later).
per_rule as (

    select
        losses.score_as_of,
        losses.lead_id,
        event_days.rule_key,
        {{ exact_sum('event_days.event_count * ' ~ half_life_decay(
            'event_days.age_days', 'engagement_rules.half_life_days'
        )) }} as decayed_count
    from losses
    inner join event_days_aged as event_days
        on
            losses.score_as_of = event_days.score_as_of
            and losses.lead_id = event_days.lead_id
            and losses.last_lost_at < event_days.last_occurred_at
    inner join engagement_rules
        on event_days.rule_key = engagement_rules.rule_key
    group by
        losses.score_as_of,
        losses.lead_id,
        event_days.rule_key

),

final as (

    select
        losses.score_as_of,
        losses.lead_id,
        losses.last_lost_at,
        -- 'none' (no rule key has that form): a lead without an event after its loss.
        coalesce(per_rule.rule_key, 'none') as rule_key,
        coalesce(per_rule.decayed_count, 0) as decayed_count,
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with
    from losses
    inner join dates_to_score
        on losses.score_as_of = dates_to_score.score_as_of
    left join per_rule
        on
            losses.score_as_of = per_rule.score_as_of
            and losses.lead_id = per_rule.lead_id

)

select * from final
