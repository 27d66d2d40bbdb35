-- One row per scoring date, lead and engagement rule the lead had events of by that date (an
-- attribute rule: a type on a page or campaign, or else the type's weight): its events, their
-- undecayed points, the points after exponential decay to the scoring date (the decayed counts
-- of int_engagement_counts_decayed times the rule's points), and the total after the rule's
-- cap, which bounds its absolute value so negative rules are capped too. Types without a weight
-- row give no points.
--
-- Incremental per scoring date: a run applies the points to the dates whose counts or inputs
-- changed (inputs_fingerprint) and, after an edit of points, caps or labels, to every stored
-- date (scored_with): the counts are read again, the events are not.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates() }}"
) }}

with

counts as (

    select * from {{ ref('int_engagement_counts_decayed') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'inputs_fingerprint') }}

),

weights as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

per_rule as (

    select
        per_reference.score_as_of,
        per_reference.lead_id,
        per_reference.event_type,
        per_reference.rule_key,
        max(weights.rule_id) as rule_id,
        max(weights.rule_label) as rule_label,
        weights.rule_key is not null as is_weighted,
        max(weights.max_points_per_lead) as max_points_per_lead,
        max(dates_to_score.inputs_fingerprint) as inputs_fingerprint,
        max(dates_to_score.scored_with) as scored_with,
        sum(per_reference.event_count) as event_count,
        max(per_reference.last_occurred_at) as last_occurred_at,
        cast(
            sum(per_reference.event_count) * coalesce(max(weights.points), 0)
            as {{ type_double() }}
        ) as raw_points,
        coalesce(sum(per_reference.decayed_event_count) * max(weights.points), 0)
            as decayed_points
    from counts as per_reference
    inner join dates_to_score
        on per_reference.score_as_of = dates_to_score.score_as_of
    left join weights
        on per_reference.rule_key = weights.rule_key
    group by
        per_reference.score_as_of,
        per_reference.lead_id,
        per_reference.event_type,
        per_reference.rule_key,
        weights.rule_key is not null

),

final as (

    select
        score_as_of,
        lead_id,
        event_type,
        rule_key,
        rule_id,
        rule_label,
        is_weighted,
        event_count,
        last_occurred_at,
        raw_points,
        case when raw_points <> 0 then decayed_points / raw_points end as decay_factor,
        decayed_points,
        case
            when decayed_points > max_points_per_lead
                then cast(max_points_per_lead as {{ type_double() }})
            when decayed_points < -max_points_per_lead
                then cast(-max_points_per_lead as {{ type_double() }})
            else decayed_points
        end as capped_points,
        inputs_fingerprint,
        scored_with
    from per_rule

)

select * from final
