-- The score log: one row per lead and scoring date on which its state changed. Each build
-- appends, for its scoring date, the leads that are new or whose stage, grade, level, hot
-- flag, disqualification or opportunity changed, or whose fit, engagement or lead score moved
-- by at least the seed's history_min_score_change since the lead's last row. Nothing is ever
-- updated or deleted, and `--full-refresh` does not rebuild it (full_refresh=false): the past
-- cannot be recomputed from today's raw tables once CRM rows are overwritten. A build for a
-- scoring date not after the latest one logged appends nothing.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='append_new_columns'
) }}

with

scored_leads as (

    select * from {{ ref('int_leads_scored') }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_selected') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

current_states as (

    select
        scored_leads.score_as_of,
        scored_leads.lead_id,
        scored_leads.fit_score,
        scored_leads.engagement_score,
        scored_leads.lead_score,
        scored_leads.fit_grade,
        scored_leads.engagement_level,
        scored_leads.priority,
        scored_leads.lifecycle_stage,
        scored_leads.is_hot,
        scored_leads.is_bant_qualified,
        scored_leads.disqualification_reason,
        scored_leads.has_opportunity,
        scored_leads.last_engaged_at,
        -- The latest fact the state rests on: the last event or the lead version's update.
        case
            when scored_leads.last_engaged_at > lead_versions.version_known_at
                then scored_leads.last_engaged_at
            else lead_versions.version_known_at
        end as evidence_at
    from scored_leads
    inner join scoring_dates
        on
            scored_leads.score_as_of = scoring_dates.score_as_of
            and scoring_dates.is_current
    inner join lead_versions
        on
            scored_leads.score_as_of = lead_versions.score_as_of
            and scored_leads.lead_id = lead_versions.lead_id

),

logged as (

    select *
    from {{ logged_rows([
        'lead_id', 'score_as_of', 'fit_score', 'engagement_score', 'lead_score', 'fit_grade',
        'engagement_level', 'lifecycle_stage', 'is_hot', 'disqualification_reason',
        'has_opportunity'
    ], 'current_states') }} as logged_states

),

latest_logged as (

    select
        *,
        row_number() over (partition by lead_id order by score_as_of desc) as recency_rank
    from logged

),

changed as (

    select
        current_states.*,
        latest_logged.lead_id is null as is_new_lead
    from current_states
    cross join settings
    left join latest_logged
        on
            current_states.lead_id = latest_logged.lead_id
            and latest_logged.recency_rank = 1
    where
        -- History moves forward only.
        current_states.score_as_of > coalesce(
            (select max(logged.score_as_of) from logged),
            cast('1900-01-01' as date)
        )
        and (
            latest_logged.lead_id is null
            or abs(current_states.fit_score - latest_logged.fit_score)
            >= settings.history_min_score_change
            or abs(current_states.engagement_score - latest_logged.engagement_score)
            >= settings.history_min_score_change
            or abs(current_states.lead_score - latest_logged.lead_score)
            >= settings.history_min_score_change
            or coalesce(current_states.fit_grade, '~') <> coalesce(latest_logged.fit_grade, '~')
            or coalesce(current_states.engagement_level, -1)
            <> coalesce(latest_logged.engagement_level, -1)
            or current_states.lifecycle_stage <> latest_logged.lifecycle_stage
            or current_states.is_hot <> latest_logged.is_hot
            or coalesce(current_states.disqualification_reason, '~')
            <> coalesce(latest_logged.disqualification_reason, '~')
            or current_states.has_opportunity <> latest_logged.has_opportunity
        )

),

final as (

    select
        score_as_of,
        lead_id,
        fit_score,
        engagement_score,
        lead_score,
        fit_grade,
        engagement_level,
        priority,
        lifecycle_stage,
        is_hot,
        is_bant_qualified,
        disqualification_reason,
        has_opportunity,
        last_engaged_at,
        evidence_at,
        is_new_lead,
        {{ scoring_version() }} as scoring_version,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as logged_at
    from changed

)

select * from final
