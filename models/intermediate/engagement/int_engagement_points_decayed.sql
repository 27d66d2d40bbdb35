-- One row per scoring date, lead and engagement rule the lead had events of by that date (an
-- attribute rule: a type on a page or campaign, or else the type's weight): its events, their
-- undecayed points, the points after exponential decay to the scoring date (the decayed counts
-- of int_engagement_counts_decayed times the rule's points), and the total after the rule's
-- cap, which bounds its absolute value so negative rules are capped too. Types without a weight
-- row give no points.
--
-- A view: the points are applied when a reader asks for a date's rows (int_leads_scored for the
-- dates it scores, lead_score_components for the current one), so an edit of points, caps or
-- labels stores nothing again and re-reads no event.
{{ config(materialized='view') }}

with

counts as (

    select * from {{ ref('int_engagement_counts_decayed') }}

),

weights as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

-- (counts has one row per date, lead and rule: nothing to aggregate.)
per_rule as (

    select
        counts.score_as_of,
        counts.lead_id,
        counts.event_type,
        counts.rule_key,
        weights.rule_id,
        weights.rule_label,
        weights.rule_key is not null as is_weighted,
        weights.max_points_per_lead,
        counts.event_count,
        counts.last_occurred_at,
        cast(counts.event_count * coalesce(weights.points, 0) as {{ type_double() }}) as raw_points,
        coalesce(counts.decayed_event_count * weights.points, 0) as decayed_points
    from counts
    left join weights
        on counts.rule_key = weights.rule_key

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
        end as capped_points
    from per_rule

)

select * from final
