-- One row per scoring date and scorable lead: fit, engagement and lead score, grade, level,
-- priority, lifecycle stage and hot flag, all from the seeds. This is the one scoring
-- implementation: the qualified_leads mart, the history and the backtest all read it.

with

leads as (

    select * from {{ ref('int_lead_versions_selected') }}

),

fit_points as (

    select * from {{ ref('int_fit_points_matched') }}

),

engagement as (

    select * from {{ ref('int_engagement_points_decayed') }}

),

disqualifications as (

    select * from {{ ref('int_disqualifications_matched') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

fit_grades as (

    select * from {{ ref('fit_grades') }}

),

engagement_levels as (

    select * from {{ ref('engagement_levels') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

scorable_leads as (

    select * from leads
    where rejection_reason is null

),

fit_totals as (

    select
        lead_row_id,
        sum(fit_points) as fit_points_total
    from fit_points
    group by lead_row_id

),

engagement_totals as (

    select
        score_as_of,
        lead_id,
        sum(capped_points) as engagement_points_total,
        max(last_occurred_at) as last_engaged_at
    from engagement
    group by score_as_of, lead_id

),

first_disqualifications as (

    select
        score_as_of,
        lead_id,
        disqualification_reason,
        row_number() over (partition by score_as_of, lead_id order by rule_id) as rule_rank
    from disqualifications

),

opportunity_leads as (

    select distinct
        scorable_leads.score_as_of,
        scorable_leads.lead_id
    from scorable_leads
    inner join opportunities
        on
            scorable_leads.lead_id = opportunities.lead_id
            and scorable_leads.known_before > opportunities.created_at

),

grade_bands as (

    select
        fit_grade,
        min_fit_score,
        lead(min_fit_score) over (order by min_fit_score) as next_min_fit_score
    from fit_grades

),

level_bands as (

    select
        engagement_level,
        min_engagement_score,
        lead(min_engagement_score) over (order by min_engagement_score) as next_min_engagement_score
    from engagement_levels

),

scored as (

    select
        scorable_leads.score_as_of,
        scorable_leads.lead_id,
        scorable_leads.lead_row_id,
        coalesce(fit_totals.fit_points_total, 0) as fit_points_total,
        coalesce(engagement_totals.engagement_points_total, 0) as engagement_points_total,
        -- Scores are points clamped to 0-100; the clamp shows as its own explanation row.
        least(greatest(coalesce(fit_totals.fit_points_total, 0), 0), 100) as fit_score,
        least(greatest(coalesce(engagement_totals.engagement_points_total, 0), 0), 100)
            as engagement_score,
        engagement_totals.last_engaged_at,
        first_disqualifications.disqualification_reason,
        opportunity_leads.lead_id is not null as has_opportunity
    from scorable_leads
    left join fit_totals
        on scorable_leads.lead_row_id = fit_totals.lead_row_id
    left join engagement_totals
        on
            scorable_leads.score_as_of = engagement_totals.score_as_of
            and scorable_leads.lead_id = engagement_totals.lead_id
    left join first_disqualifications
        on
            scorable_leads.score_as_of = first_disqualifications.score_as_of
            and scorable_leads.lead_id = first_disqualifications.lead_id
            and first_disqualifications.rule_rank = 1
    left join opportunity_leads
        on
            scorable_leads.score_as_of = opportunity_leads.score_as_of
            and scorable_leads.lead_id = opportunity_leads.lead_id

),

combined as (

    select
        scored.*,
        settings.fit_weight * scored.fit_score
        + settings.engagement_weight * scored.engagement_score as lead_score
    from scored
    cross join settings

),

staged as (

    select
        combined.*,
        (not settings.is_budget_required or scorable_leads.meets_bant_budget)
        and (not settings.is_authority_required or scorable_leads.meets_bant_authority)
        and (not settings.is_need_required or scorable_leads.meets_bant_need)
        and (not settings.is_timeline_required or scorable_leads.meets_bant_timeline)
            as is_bant_qualified,
        combined.lead_score >= settings.mql_min_lead_score as meets_mql_threshold,
        combined.lead_score >= settings.sql_min_lead_score as meets_sql_threshold,
        combined.lead_score >= settings.hot_min_lead_score
        and combined.last_engaged_at is not null
        and {{ dbt.datediff(
            'cast(combined.last_engaged_at as date)', 'combined.score_as_of', 'day'
        ) }}
        <= settings.hot_max_days_since_engaged as meets_hot_threshold
    from combined
    inner join scorable_leads
        on
            combined.score_as_of = scorable_leads.score_as_of
            and combined.lead_id = scorable_leads.lead_id
    cross join settings

),

final as (

    select
        staged.score_as_of,
        staged.lead_id,
        staged.lead_row_id,
        staged.fit_points_total,
        staged.engagement_points_total,
        staged.fit_score,
        staged.engagement_score,
        staged.lead_score,
        grade_bands.fit_grade,
        level_bands.engagement_level,
        {{ dbt.concat([
            'grade_bands.fit_grade',
            'cast(level_bands.engagement_level as ' ~ dbt.type_string() ~ ')'
        ]) }} as priority,
        case
            when staged.disqualification_reason is not null then 'disqualified'
            when staged.meets_sql_threshold and staged.is_bant_qualified then 'sql'
            when staged.meets_mql_threshold then 'mql'
            else 'lead'
        end as lifecycle_stage,
        staged.disqualification_reason is null and staged.meets_hot_threshold as is_hot,
        staged.is_bant_qualified,
        staged.disqualification_reason,
        staged.has_opportunity,
        staged.last_engaged_at
    from staged
    left join grade_bands
        on
            staged.fit_score >= grade_bands.min_fit_score
            and (
                staged.fit_score < grade_bands.next_min_fit_score
                or grade_bands.next_min_fit_score is null
            )
    left join level_bands
        on
            staged.engagement_score >= level_bands.min_engagement_score
            and (
                staged.engagement_score < level_bands.next_min_engagement_score
                or level_bands.next_min_engagement_score is null
            )

)

select * from final
