-- One row per scorable lead on this build's scoring date: its scores (int_leads_scored) and its
-- lifecycle stage with memory. int_leads_scored gives the stage each date's facts support; here
-- a stage moves forward only, except through the seeded exits:
--   - an MQL or SQL whose facts no longer qualify keeps its stage (an SQL stays SQL, an MQL MQL)
--     until its engagement_score is below recycle_max_engagement_score and its last positive
--     engagement is at least recycle_after_days old: then it is recycled;
--   - a recycled lead stays recycled until it qualifies again;
--   - customer, opportunity, disqualified and recycled (a lost opportunity) come from the facts.
-- The memory is the lead's last row in the score log before this date (the log as it stood
-- before this build, read directly: the log is built from this model). On the first build, and
-- for dates scored without a log (backtest, calibration), the stage is int_leads_scored's.

{%- set log_relation = adapter.get_relation(
    database=this.database, schema=this.schema, identifier='score_log'
) %}

with

scored_leads as (

    select * from {{ ref('int_leads_scored') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

current_scores as (

    select scored_leads.*
    from scored_leads
    inner join scoring_dates
        on
            scored_leads.score_as_of = scoring_dates.score_as_of
            and scoring_dates.is_current

),

previous_states as (

    {% if log_relation is not none %}
        select
            score_log.lead_id,
            score_log.lifecycle_stage,
            row_number() over (partition by score_log.lead_id order by score_log.score_as_of desc)
                as recency_rank
        from {{ log_relation }} as score_log
        inner join scoring_dates
            on
                score_log.score_as_of < scoring_dates.score_as_of
                and scoring_dates.is_current
    {% else %}
        select
            lead_id,
            cast(null as {{ dbt.type_string() }}) as lifecycle_stage,
            1 as recency_rank
        from current_scores
        where 1 = 0
    {% endif %}

),

tracked as (

    select
        current_scores.*,
        previous_states.lifecycle_stage as previous_lifecycle_stage,
        current_scores.engagement_score < settings.recycle_max_engagement_score
        and (
            current_scores.last_engaged_at is null
            or {{ dbt.datediff(
                'cast(current_scores.last_engaged_at as date)', 'current_scores.score_as_of', 'day'
            ) }} >= settings.recycle_after_days
        ) as has_gone_cold
    from current_scores
    cross join settings
    left join previous_states
        on
            current_scores.lead_id = previous_states.lead_id
            and previous_states.recency_rank = 1

),

final as (

    select
        score_as_of,
        lead_id,
        lead_row_id,
        fit_points_total,
        engagement_points_total,
        fit_score,
        engagement_score,
        lead_score,
        fit_grade,
        engagement_level,
        priority,
        case
            when lifecycle_stage = 'mql' and previous_lifecycle_stage = 'sql' then 'sql'
            when lifecycle_stage <> 'lead' then lifecycle_stage
            when previous_lifecycle_stage in ('mql', 'sql') and has_gone_cold then 'recycled'
            when previous_lifecycle_stage in ('mql', 'sql', 'recycled')
                then previous_lifecycle_stage
            else lifecycle_stage
        end as lifecycle_stage,
        lifecycle_stage as qualification_stage,
        previous_lifecycle_stage,
        is_mql_eligible,
        is_hot,
        is_bant_qualified,
        disqualification_reason,
        has_opportunity,
        opportunity_stage,
        positive_engagement_points,
        recent_engagement_points,
        velocity_ratio,
        is_surging,
        last_engaged_at
    from tracked

)

select * from final
