-- One row per scoring date and scorable lead: fit, engagement and lead score, grade, level,
-- priority, lifecycle stage and hot flag, from the facts int_lead_facts_gathered holds for the
-- date and the seeds. This is the one scoring implementation and the one definition of the
-- stages as of a date: the marts, the history, the backtest, the threshold sweep, `make impact`
-- and `make calibrate` all read it.
--
-- Stages, first match wins, in the order of the CASE below (lifecycle_stages.csv describes
-- them):
--   customer      an opportunity won by the scoring date
--   opportunity   an opportunity open on the scoring date (created, not yet closed)
--   disqualified  a disqualification rule matches
--   sql / mql     lead_score at the threshold, fit and engagement at the seeded MQL minimums,
--                 positive engagement, and after a lost opportunity enough engagement earned
--                 since (SQL also needs the BANT gate)
--   recycled      every opportunity known was lost and the lead has not engaged since
--   lead          everything else
-- "Engaged" means events with positive points: an unsubscribe never makes a lead hot.
--
-- Incremental per scoring date: a run scores the dates whose inputs changed since they were
-- stored (inputs_fingerprint: a late event, a new lead version, an opportunity's change on or
-- before the date), or whose seeds or SQL changed (scored_with). A settled date, a judged
-- health month say, keeps its rows.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates(ref('int_scoring_inputs_fingerprinted')) }}"
) }}

with

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'inputs_fingerprint') }}

),

-- The facts of the dates scored (gathered with the same fingerprint and seeds, so a date to
-- score here is a date int_lead_facts_gathered just wrote).
facts as (

    select lead_facts.*
    from {{ ref('int_lead_facts_gathered') }} as lead_facts
    inner join dates_to_score
        on lead_facts.score_as_of = dates_to_score.score_as_of

),

fit_points as (

    select * from {{ ref('int_fit_points_matched') }}

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

-- The fit points of the versions scored only (see int_lead_facts_gathered on the planner).
fit_totals as (

    select
        lead_row_id,
        {{ exact_sum('fit_points') }} as fit_points_total
    from fit_points
    where lead_row_id in (select facts.lead_row_id from facts)
    group by lead_row_id

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
        facts.*,
        -- The settings ride along, so the rules below read them from the lead's row.
        settings.*,
        -- Each score starts at its seeded base (0 as shipped; make calibrate sets it so that
        -- the calibrated points keep the model's ranking inside 0-100) and adds its points.
        settings.fit_base_points + coalesce(fit_totals.fit_points_total, 0) as fit_points_total,
        settings.engagement_base_points + facts.engagement_points_summed
            as engagement_points_total
    from facts
    left join fit_totals
        on facts.lead_row_id = fit_totals.lead_row_id
    cross join settings

),

-- Scores are points clamped to 0-100; the clamp shows as its own explanation row.
clamped as (

    select
        scored.*,
        least(greatest(scored.fit_points_total, 0), 100) as fit_score,
        least(greatest(scored.engagement_points_total, 0), 100) as engagement_score
    from scored

),

combined as (

    select
        clamped.*,
        clamped.fit_weight * clamped.fit_score
        + clamped.engagement_weight * clamped.engagement_score as lead_score
    from clamped

),

staged as (

    select
        combined.*,
        (not combined.is_budget_required or combined.meets_bant_budget)
        and (not combined.is_authority_required or combined.meets_bant_authority)
        and (not combined.is_need_required or combined.meets_bant_need)
        and (not combined.is_timeline_required or combined.meets_bant_timeline)
            as is_bant_qualified,
        -- Everything an MQL needs but the lead_score threshold (the threshold sweep varies it).
        combined.disqualification_reason is null
        and not combined.has_open_opportunity
        and not combined.has_won_opportunity
        and combined.fit_score >= combined.mql_min_fit_score
        and combined.engagement_score >= combined.mql_min_engagement_score
        and combined.positive_engagement_points > 0
        -- After a lost opportunity, only engagement earned after the loss qualifies it again.
        and (
            combined.last_lost_at is null
            or combined.engagement_since_loss >= combined.mql_min_engagement_score
        ) as is_mql_eligible,
        combined.lead_score >= combined.mql_min_lead_score as meets_mql_threshold,
        combined.lead_score >= combined.sql_min_lead_score as meets_sql_threshold,
        combined.lead_score >= combined.hot_min_lead_score
        and combined.last_engaged_at is not null
        and {{ dbt.datediff(
            'cast(combined.last_engaged_at as date)', 'combined.score_as_of', 'day'
        ) }}
        <= combined.hot_max_days_since_engaged as meets_hot_threshold,
        -- A surging lead at the MQL threshold is hot below hot_min_lead_score (hot_when_surging).
        combined.hot_when_surging = 1
        and combined.is_surging
        and combined.lead_score >= combined.mql_min_lead_score as is_hot_by_velocity
    from combined

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
            when staged.has_won_opportunity then 'customer'
            when staged.has_open_opportunity then 'opportunity'
            when staged.disqualification_reason is not null then 'disqualified'
            when
                staged.is_mql_eligible and staged.meets_sql_threshold and staged.is_bant_qualified
                then 'sql'
            when staged.is_mql_eligible and staged.meets_mql_threshold then 'mql'
            when staged.last_lost_at is not null and staged.engagement_since_loss <= 0
                then 'recycled'
            else 'lead'
        end as lifecycle_stage,
        staged.is_mql_eligible,
        -- Hot: a lead that could be an MQL (the same gate) with a high score and recent
        -- positive engagement, or (hot_when_surging) whose engagement is surging.
        staged.is_mql_eligible
        and (staged.meets_hot_threshold or staged.is_hot_by_velocity) as is_hot,
        staged.is_bant_qualified,
        staged.disqualification_reason,
        staged.has_opportunity,
        staged.opportunity_stage,
        staged.positive_engagement_points,
        staged.recent_engagement_points,
        staged.velocity_ratio,
        staged.is_surging,
        staged.last_engaged_at,
        -- This model's own fingerprint and seeds (not those the facts were gathered with).
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with
    from staged
    inner join dates_to_score
        on staged.score_as_of = dates_to_score.score_as_of
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
