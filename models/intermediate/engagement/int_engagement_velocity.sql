-- One row per scoring date and lead with events of positive points in the velocity window: the
-- points of its recent days (the last velocity_recent_days days up to the scoring date) against
-- those of the velocity_baseline_days days before, as an average per velocity_recent_days, and
-- whether it is surging (scoring_settings). Points are the engagement rules' points per event,
-- undecayed and uncapped: a burst of visits to /pricing counts as such. Event days belong to
-- leads as they do for the scores (resolved_event_days); a lead without a row had no such
-- event in the window.
--
-- Incremental per scoring date: a run computes the dates whose lead versions or event days
-- changed since they were stored (events_fingerprint), or whose seeds or SQL changed.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates() }}"
) }}

with

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'events_fingerprint') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

engagement_rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

window_days as (

    {{ resolved_event_days(window_days=
        '(select cast(velocity_recent_days + velocity_baseline_days as integer) from '
        ~ ref('int_scoring_settings_pivoted') ~ ')',
        dates='select score_as_of from dates_to_score'
    ) }}

),

-- Each day's points, and whether it is among the recent days (else the baseline's).
day_points as (

    select
        window_days.score_as_of,
        window_days.lead_id,
        window_days.event_count * engagement_rules.points as points,
        window_days.event_date > {{ dbt.dateadd(
            'day',
            '-1 * cast(settings.velocity_recent_days as ' ~ dbt.type_int() ~ ')',
            'window_days.score_as_of'
        ) }} as is_recent
    from window_days
    cross join settings
    inner join engagement_rules
        on window_days.rule_key = engagement_rules.rule_key
    where
        window_days.rejection_reason is null
        and engagement_rules.points > 0

),

per_lead as (

    select
        score_as_of,
        lead_id,
        cast(sum(case when is_recent then points else 0 end) as {{ type_double() }})
            as recent_points,
        cast(sum(case when is_recent then 0 else points end) as {{ type_double() }})
            as baseline_points
    from day_points
    group by score_as_of, lead_id

),

final as (

    select
        per_lead.score_as_of,
        per_lead.lead_id,
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with,
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
    inner join dates_to_score
        on per_lead.score_as_of = dates_to_score.score_as_of
    cross join settings

)

select * from final
