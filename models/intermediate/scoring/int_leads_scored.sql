-- One row per scoring date and scorable lead: fit, engagement and lead score, grade, level,
-- priority, lifecycle stage and hot flag, all from the seeds. This is the one scoring
-- implementation and the one definition of the stages as of a date: the marts, the history, the
-- backtest, the threshold sweep, `make impact` and `make calibrate` all read it.
--
-- Stages, first match wins (lifecycle_stages.csv describes them):
--   customer      an opportunity won by the scoring date
--   opportunity   an opportunity open on the scoring date (created, not yet closed)
--   disqualified  a disqualification rule matches
--   recycled      every opportunity known was lost and the lead has not engaged since (it
--                 qualifies again only with mql_min_engagement_score earned after the loss:
--                 int_engagement_since_loss)
--   sql / mql     lead_score at the threshold, fit and engagement at the seeded MQL minimums
--                 (SQL also needs the BANT gate)
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

leads as (

    select lead_versions.*
    from {{ ref('int_lead_versions_selected') }} as lead_versions
    inner join dates_to_score
        on lead_versions.score_as_of = dates_to_score.score_as_of

),

fit_points as (

    select * from {{ ref('int_fit_points_matched') }}

),

engagement as (

    select engagement_points.*
    from {{ ref('int_engagement_points_decayed') }} as engagement_points
    inner join dates_to_score
        on engagement_points.score_as_of = dates_to_score.score_as_of

),

disqualifications as (

    select rules_met.*
    from {{ ref('int_disqualifications_matched') }} as rules_met
    inner join dates_to_score
        on rules_met.score_as_of = dates_to_score.score_as_of

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

opportunities_dated as (

    select * from {{ ref('int_opportunities_dated') }}

),

-- Every per-date input is read for the dates scored only, and the fit points for their lead
-- versions only: when a run scores fewer dates than are stored, DuckDB's join planner must not
-- see these whole (it then hashed the 8.4M lead-dates of a 1M-lead rescore, out of memory).
engagement_since_loss as (

    select since_loss.*
    from {{ ref('int_engagement_since_loss') }} as since_loss
    inner join dates_to_score
        on since_loss.score_as_of = dates_to_score.score_as_of

),

engagement_velocity as (

    select velocity.*
    from {{ ref('int_engagement_velocity') }} as velocity
    inner join dates_to_score
        on velocity.score_as_of = dates_to_score.score_as_of

),

-- Read by three CTEs below: not stored once per query (at 1M leads and 14 dates a stored copy
-- of every version column ran out of memory in a rescore).
scorable_leads as {{ leadscore.not_materialized() }} (

    select * from leads
    where rejection_reason is null

),

fit_totals as (

    select
        lead_row_id,
        sum(fit_points) as fit_points_total
    from fit_points
    where lead_row_id in (select leads.lead_row_id from leads)
    group by lead_row_id

),

engagement_totals as (

    select
        score_as_of,
        lead_id,
        sum(capped_points) as engagement_points_total,
        sum(case when capped_points > 0 then capped_points else 0 end)
            as positive_engagement_points,
        max(case when capped_points > 0 then last_occurred_at end) as last_engaged_at
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

-- The opportunities of each scorable lead as they stood on the scoring date.
opportunities_known as (

    select opportunities_dated.*
    from scorable_leads
    inner join opportunities_dated
        on
            scorable_leads.score_as_of = opportunities_dated.score_as_of
            and scorable_leads.lead_id = opportunities_dated.lead_id

),

opportunity_leads as (

    select
        score_as_of,
        lead_id,
        max(case when stage_on_date = 'closed won' then 1 else 0 end) = 1 as has_won_opportunity,
        max(case when stage_on_date = 'open' then 1 else 0 end) = 1 as has_open_opportunity,
        max(case when stage_on_date = 'closed lost' then closed_at end) as last_lost_at,
        -- The stage a CRM sync shows: won, else open, else lost.
        case
            when max(case when stage_on_date = 'closed won' then 1 else 0 end) = 1
                then 'closed won'
            when max(case when stage_on_date = 'open' then 1 else 0 end) = 1 then 'open'
            else 'closed lost'
        end as opportunity_stage
    from opportunities_known
    group by score_as_of, lead_id

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
        -- Each score starts at its seeded base (0 as shipped; make calibrate sets it so that
        -- the calibrated points keep the model's ranking inside 0-100) and adds its points.
        settings.fit_base_points + coalesce(fit_totals.fit_points_total, 0) as fit_points_total,
        settings.engagement_base_points + coalesce(engagement_totals.engagement_points_total, 0)
            as engagement_points_total,
        engagement_totals.last_engaged_at,
        coalesce(engagement_totals.positive_engagement_points, 0) as positive_engagement_points,
        first_disqualifications.disqualification_reason,
        opportunity_leads.lead_id is not null as has_opportunity,
        coalesce(opportunity_leads.has_open_opportunity, false) as has_open_opportunity,
        coalesce(opportunity_leads.has_won_opportunity, false) as has_won_opportunity,
        opportunity_leads.opportunity_stage,
        opportunity_leads.last_lost_at,
        coalesce(engagement_since_loss.engagement_since_loss, 0) as engagement_since_loss,
        coalesce(engagement_velocity.recent_points, 0) as recent_engagement_points,
        engagement_velocity.velocity_ratio,
        coalesce(engagement_velocity.is_surging, false) as is_surging
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
    left join engagement_since_loss
        on
            scorable_leads.score_as_of = engagement_since_loss.score_as_of
            and scorable_leads.lead_id = engagement_since_loss.lead_id
    left join engagement_velocity
        on
            scorable_leads.score_as_of = engagement_velocity.score_as_of
            and scorable_leads.lead_id = engagement_velocity.lead_id
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
        settings.fit_weight * clamped.fit_score
        + settings.engagement_weight * clamped.engagement_score as lead_score
    from clamped
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
        -- Everything an MQL needs but the lead_score threshold (the threshold sweep varies it).
        combined.disqualification_reason is null
        and not combined.has_open_opportunity
        and not combined.has_won_opportunity
        and combined.fit_score >= settings.mql_min_fit_score
        and combined.engagement_score >= settings.mql_min_engagement_score
        and combined.positive_engagement_points > 0
        -- After a lost opportunity, only engagement earned after the loss qualifies it again.
        and (
            combined.last_lost_at is null
            or combined.engagement_since_loss >= settings.mql_min_engagement_score
        ) as is_mql_eligible,
        combined.lead_score >= settings.mql_min_lead_score as meets_mql_threshold,
        combined.lead_score >= settings.sql_min_lead_score as meets_sql_threshold,
        combined.lead_score >= settings.hot_min_lead_score
        and combined.last_engaged_at is not null
        and {{ dbt.datediff(
            'cast(combined.last_engaged_at as date)', 'combined.score_as_of', 'day'
        ) }}
        <= settings.hot_max_days_since_engaged as meets_hot_threshold,
        -- A surging lead at the MQL threshold is hot below hot_min_lead_score (hot_when_surging).
        settings.hot_when_surging = 1
        and combined.is_surging
        and combined.lead_score >= settings.mql_min_lead_score as is_hot_by_velocity
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
