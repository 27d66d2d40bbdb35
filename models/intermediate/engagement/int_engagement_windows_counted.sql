-- One row per scoring date, lead and engagement rule with events in the velocity window: the
-- events of the recent days (the last velocity_recent_days days up to the scoring date) and of
-- the velocity_baseline_days days before. Event days belong to leads as they do for the scores
-- (resolved_event_days). No points: int_engagement_velocity applies them, so a points edit
-- counts nothing again.
--
-- Incremental per scoring date: a run counts the dates whose lead versions or event days changed
-- since they were stored (events_fingerprint), or whose window lengths (scoring_settings) or
-- SQL changed.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates(ref('int_scoring_inputs_fingerprinted')) }}"
) }}

with

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'events_fingerprint', include_seeds=['scoring_settings']) }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

window_days as (

    {{ resolved_event_days(
        ref('int_scoring_dates_listed'), ref('int_event_days_aggregated'),
        ref('int_lead_versions_selected'),
        window_days=
        '(select cast(velocity_recent_days + velocity_baseline_days as integer) from '
        ~ ref('int_scoring_settings_pivoted') ~ ')',
        dates='select score_as_of from dates_to_score'
    ) }}

),

-- Whether each day is among the recent days (else the baseline's).
days_placed as (

    select
        window_days.score_as_of,
        window_days.lead_id,
        window_days.event_type,
        window_days.rule_key,
        window_days.event_count,
        window_days.event_date > {{ dbt.dateadd(
            'day',
            '-1 * cast(settings.velocity_recent_days as ' ~ dbt.type_int() ~ ')',
            'window_days.score_as_of'
        ) }} as is_recent
    from window_days
    cross join settings
    where window_days.rejection_reason is null

),

per_lead as (

    select
        score_as_of,
        lead_id,
        event_type,
        rule_key,
        sum(case when is_recent then event_count else 0 end) as recent_event_count,
        sum(case when is_recent then 0 else event_count end) as baseline_event_count
    from days_placed
    group by
        score_as_of,
        lead_id,
        event_type,
        rule_key

),

final as (

    select
        per_lead.*,
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with
    from per_lead
    inner join dates_to_score
        on per_lead.score_as_of = dates_to_score.score_as_of

)

select * from final
