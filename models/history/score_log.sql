-- The score log: one row per lead and scoring date on which its state changed. A build for a
-- scoring date on or after the latest one logged writes, for its date, the leads that are new
-- or whose stage, grade, level, hot flag, disqualification or opportunity changed, or whose fit,
-- engagement or lead score moved by at least the seed's history_min_score_change, compared with
-- the lead's last row before that date. Rebuilding the latest logged date replaces that date's
-- rows (the pre-hook deletes them first: late data, a rerun); a build for an earlier date writes
-- nothing, and the history marts then read the log as it stood on that date. Older rows are never
-- updated, and `--full-refresh` does not rebuild the log (full_refresh=false): the past cannot be
-- recomputed from today's raw tables once CRM rows are overwritten.
--
-- The log is written only after the build's reconciliation tests on qualified_leads and
-- rejected_rows passed (dbt build skips it otherwise), and not for a scoring date far beyond
-- the newest raw data unless var allow_history_beyond_data is true.
-- depends_on: {{ ref('qualified_leads') }}
-- depends_on: {{ ref('rejected_rows') }}
-- depends_on: {{ ref('lead_score_components') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_logged_scoring_date() }}"
) }}

with

scored_leads as (

    select * from {{ ref('int_lead_stages_tracked') }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_selected') }}

),

-- One row: this build's scoring date, and whether it lies within the raw data.
data_freshness as (

    select * from {{ ref('int_raw_data_freshness') }}

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
        scored_leads.opportunity_stage,
        scored_leads.last_engaged_at,
        -- The latest fact the state rests on: the last event or the lead version's update.
        case
            when scored_leads.last_engaged_at > lead_versions.version_known_at
                then scored_leads.last_engaged_at
            else lead_versions.version_known_at
        end as evidence_at
    -- int_lead_stages_tracked holds this build's scoring date only.
    from scored_leads
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
        'has_opportunity', 'opportunity_stage'
    ], 'current_states') }} as logged_states

),

-- Each lead's last row before this build's date (a rerun of the date compares with the day
-- before, as the first run of the date did).
latest_logged as (

    select
        logged.*,
        row_number() over (partition by logged.lead_id order by logged.score_as_of desc)
            as recency_rank
    from logged
    inner join data_freshness
        on logged.score_as_of < data_freshness.score_as_of

),

changed as (

    select
        current_states.*,
        latest_logged.lead_id is null as is_new_lead
    from current_states
    cross join settings
    cross join data_freshness
    left join latest_logged
        on
            current_states.lead_id = latest_logged.lead_id
            and latest_logged.recency_rank = 1
    where
        -- History moves forward only: an earlier date than the latest logged writes nothing.
        current_states.score_as_of >= coalesce(
            (select max(logged.score_as_of) from logged),
            cast('1900-01-01' as date)
        )
        and (data_freshness.is_within_data or {{ allow_history_beyond_data() }})
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
            or coalesce(current_states.opportunity_stage, '~')
            <> coalesce(latest_logged.opportunity_stage, '~')
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
        opportunity_stage,
        last_engaged_at,
        evidence_at,
        is_new_lead,
        {{ scoring_version() }} as scoring_version,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as logged_at
    from changed

)

select * from final
