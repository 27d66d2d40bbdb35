-- One row per scored lead as of score_as_of: scores, grade, level, priority, stage, hot flag and
-- the lead's attributes as they stood on that date.

with

-- int_lead_stages_tracked holds this build's scoring date only.
current_scores as (

    select * from {{ ref('int_lead_stages_tracked') }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_selected') }}

),

final as (

    select
        ---------- ids
        current_scores.lead_id,

        ---------- the lead as of the scoring date
        -- PII (meta.pii): nulled when var expose_pii is false.
        {{ pii('lead_versions.email', 'email') }},
        {{ pii('lead_versions.first_name', 'first_name') }},
        {{ pii('lead_versions.last_name', 'last_name') }},
        lead_versions.job_title,
        lead_versions.company_name,
        lead_versions.company_domain,
        lead_versions.industry,
        lead_versions.country_code,
        lead_versions.seniority,
        lead_versions.department,
        lead_versions.lead_source,

        ---------- scores
        current_scores.fit_score,
        current_scores.engagement_score,
        current_scores.lead_score,
        current_scores.fit_grade,
        current_scores.engagement_level,
        current_scores.priority,

        ---------- stage
        current_scores.lifecycle_stage,
        current_scores.is_hot,
        current_scores.is_surging,
        current_scores.recent_engagement_points,
        current_scores.velocity_ratio,
        current_scores.is_bant_qualified,
        lead_versions.meets_bant_budget,
        lead_versions.meets_bant_authority,
        lead_versions.meets_bant_need,
        lead_versions.meets_bant_timeline,
        current_scores.disqualification_reason,
        current_scores.has_opportunity,
        current_scores.opportunity_stage,

        ---------- timestamps
        lead_versions.lead_created_at as created_at,
        lead_versions.updated_at,
        current_scores.last_engaged_at,
        current_scores.score_as_of,

        ---------- provenance
        {{ scoring_version() }} as scoring_version

    from current_scores
    inner join lead_versions
        on
            current_scores.score_as_of = lead_versions.score_as_of
            and current_scores.lead_id = lead_versions.lead_id

)

select * from final
