-- One row per scoring date and lead with events of positive points in the velocity window: the
-- points of its recent days (the last velocity_recent_days days up to the scoring date) against
-- those of the velocity_baseline_days days before, as an average per velocity_recent_days, and
-- whether it is surging (scoring_settings). Points are the engagement rules' points per event,
-- undecayed and uncapped: a burst of visits to /pricing counts as such. Event days belong to
-- leads as they do for the scores (resolved_event_days); a lead without a row had no such
-- event in the window.
--
-- A view over the window counts (int_engagement_windows_counted): the points are applied when a
-- reader asks for a date's rows, so a points edit stores nothing again and re-reads no event.
{{ config(materialized='view') }}

with

window_counts as (

    select * from {{ ref('int_engagement_windows_counted') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

engagement_rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

per_lead as (

    select
        window_counts.score_as_of,
        window_counts.lead_id,
        {{ exact_sum('window_counts.recent_event_count * engagement_rules.points') }}
            as recent_points,
        {{ exact_sum('window_counts.baseline_event_count * engagement_rules.points') }}
            as baseline_points
    from window_counts
    inner join engagement_rules
        on window_counts.rule_key = engagement_rules.rule_key
    where engagement_rules.points > 0
    group by window_counts.score_as_of, window_counts.lead_id

),

final as (

    select
        per_lead.score_as_of,
        per_lead.lead_id,
        per_lead.recent_points,
        per_lead.baseline_points * settings.velocity_recent_days / settings.velocity_baseline_days
            as baseline_points_per_period,
        case
            when per_lead.baseline_points > 0
                then per_lead.recent_points / (
                    per_lead.baseline_points * settings.velocity_recent_days
                    / settings.velocity_baseline_days
                )
        end as velocity_ratio,
        per_lead.recent_points >= settings.surging_min_points
        and per_lead.recent_points > 0
        and (
            per_lead.baseline_points = 0
            or per_lead.recent_points >= settings.surging_min_ratio * (
                per_lead.baseline_points * settings.velocity_recent_days
                / settings.velocity_baseline_days
            )
        ) as is_surging
    from per_lead
    cross join settings

)

select * from final
