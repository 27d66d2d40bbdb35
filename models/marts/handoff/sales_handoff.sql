-- One row per lead to hand to sales now: the leads in a handed-off stage (mql, sql:
-- lifecycle_stages.is_handed_off) on this build's scoring date whose hand-off date (first
-- qualification, or the first since they were last recycled: lead_stage_changes) is that date
-- or within the seed's handoff_lookback_days (the SLA window) before it. A lead with an open or
-- won opportunity is never here: its stage is opportunity or customer. Ordered by handoff_rank
-- (SQL before MQL, then surging leads when handoff_surging_first, hot, priority, lead score),
-- with the three rules that added
-- most to the lead score in plain words. One row per lead, so a CRM sync can upsert on lead_id.

with

scored_leads as (

    select * from {{ ref('qualified_leads') }}

),

stage_changes as (

    select * from {{ ref('lead_stage_changes') }}

),

components as (

    select * from {{ ref('lead_score_components') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

score_dimensions as (

    select * from {{ ref('score_dimensions') }}

),

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

handed_off as (

    select
        scored_leads.*,
        stage_changes.handoff_date,
        stage_changes.stage_entered_date,
        stage_changes.became_mql_date,
        stage_changes.became_mql_at,
        stage_changes.became_sql_date,
        stage_changes.became_sql_at
    from scored_leads
    cross join settings
    inner join lifecycle_stages
        on scored_leads.lifecycle_stage = lifecycle_stages.lifecycle_stage
    inner join stage_changes
        on
            scored_leads.lead_id = stage_changes.lead_id
            and scored_leads.lifecycle_stage = stage_changes.lifecycle_stage
    where
        lifecycle_stages.is_handed_off
        and scored_leads.lifecycle_stage in ('mql', 'sql')
        and not coalesce(scored_leads.opportunity_stage in ('open', 'closed won'), false)
        and stage_changes.handoff_date <= scored_leads.score_as_of
        and stage_changes.handoff_date >= {{ dbt.dateadd(
            'day',
            '-1 * cast(settings.handoff_lookback_days as ' ~ dbt.type_int() ~ ')',
            'scored_leads.score_as_of'
        ) }}

),

-- What each rule added to the lead score: its points times the weight of its score.
reasons as (

    select
        components.lead_id,
        case
            when components.score_type = 'fit'
                then {{ dbt.concat([
                    "coalesce(score_dimensions.label, components.dimension)", "': '",
                    'components.rule_name', "' (+'",
                    'cast(cast(components.capped_points as decimal(10, 1)) as '
                        ~ dbt.type_string() ~ ')',
                    "' fit points)'"
                ]) }}
            -- An attribute rule's label reads on ("Viewed /pricing 3 times"), a type's
            -- description takes a comma ("A form was submitted, 2 times").
            else {{ dbt.concat([
                "coalesce(components.rule_label, components.rule_name)",
                "case when components.dimension = 'engagement_rule' then ' ' else ', ' end",
                'cast(components.event_count as ' ~ dbt.type_string() ~ ')',
                "case when components.event_count = 1 then ' time' else ' times' end", "' (+'",
                'cast(cast(components.capped_points as decimal(10, 1)) as '
                    ~ dbt.type_string() ~ ')',
                "' engagement points)'"
            ]) }}
        end as reason,
        row_number() over (
            partition by components.lead_id
            order by
                components.capped_points
                * case
                    when components.score_type = 'fit' then settings.fit_weight
                    else settings.engagement_weight
                end desc,
                components.component_id
        ) as reason_rank
    from components
    cross join settings
    inner join handed_off
        on components.lead_id = handed_off.lead_id
    left join score_dimensions
        on components.dimension = score_dimensions.dimension
    where
        components.capped_points > 0
        and components.dimension <> 'score_range'

),

top_reasons as (

    select
        lead_id,
        max(case when reason_rank = 1 then reason end) as reason_1,
        max(case when reason_rank = 2 then reason end) as reason_2,
        max(case when reason_rank = 3 then reason end) as reason_3
    from reasons
    where reason_rank <= 3
    group by lead_id

),

final as (

    select
        ---------- ids
        handed_off.lead_id,
        -- bigint on every engine (Spark's row_number is an int), as the contract says.
        cast(row_number() over (
            order by
                case when handed_off.lifecycle_stage = 'sql' then 0 else 1 end asc,
                case
                    when settings.handoff_surging_first = 1 and handed_off.is_surging then 0
                    else 1
                end asc,
                case when handed_off.is_hot then 0 else 1 end asc,
                handed_off.priority asc,
                handed_off.lead_score desc,
                handed_off.lead_id asc
        ) as {{ dbt.type_bigint() }}) as handoff_rank,

        ---------- who
        handed_off.email,
        handed_off.first_name,
        handed_off.last_name,
        handed_off.job_title,
        handed_off.company_name,
        handed_off.company_domain,
        handed_off.country_code,

        ---------- why
        handed_off.lifecycle_stage,
        handed_off.priority,
        handed_off.lead_score,
        handed_off.fit_score,
        handed_off.engagement_score,
        handed_off.is_hot,
        handed_off.is_surging,
        handed_off.velocity_ratio,
        handed_off.has_opportunity,
        handed_off.opportunity_stage,
        top_reasons.reason_1,
        top_reasons.reason_2,
        top_reasons.reason_3,

        ---------- when
        handed_off.handoff_date,
        handed_off.stage_entered_date,
        handed_off.became_mql_date,
        handed_off.became_mql_at,
        handed_off.became_sql_date,
        handed_off.became_sql_at,
        handed_off.last_engaged_at,
        handed_off.score_as_of,

        ---------- provenance
        handed_off.scoring_version
    from handed_off
    cross join settings
    left join top_reasons
        on handed_off.lead_id = top_reasons.lead_id

)

select * from final
