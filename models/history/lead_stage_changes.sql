-- One row per lead in the score history as of this build's scoring date: its current stage and
-- since when, when it first became an MQL, an SQL, an opportunity and a customer, when it was
-- last recycled, and its hand-off date: the date it entered a handed-off stage (mql, sql:
-- lifecycle_stages.is_handed_off) for the first time, or for the first time since it was last
-- recycled. Moving on from mql to sql, or falling back and qualifying again without a recycle,
-- is no new hand-off. Dates are the scoring dates on which the score log first held the stage;
-- the *_at timestamps are the latest fact (event or CRM update) the score rested on that day.
-- A lead already in a stage when the history began counts from that first build.

with

history as (

    select * from {{ ref('score_log_periods') }}

),

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

flagged as (

    select
        history.*,
        lifecycle_stages.is_handed_off
    from history
    inner join lifecycle_stages
        on history.lifecycle_stage = lifecycle_stages.lifecycle_stage

),

-- Per row: the latest handed-off and recycled dates before it.
preceding as (

    select
        *,
        max(case when is_handed_off then valid_from_date end) over (
            partition by lead_id order by valid_from_date
            rows between unbounded preceding and 1 preceding
        ) as previous_handoff_stage_date,
        max(case when lifecycle_stage = 'recycled' then valid_from_date end) over (
            partition by lead_id order by valid_from_date
            rows between unbounded preceding and 1 preceding
        ) as previous_recycled_date
    from flagged

),

handoff_entries as (

    select
        lead_id,
        max(valid_from_date) as handoff_date,
        count(*) as handoff_count
    from preceding
    where
        is_handed_off
        and (
            previous_handoff_stage_date is null
            or previous_recycled_date > previous_handoff_stage_date
        )
    group by lead_id

),

milestones as (

    select
        lead_id,
        min(case when lifecycle_stage = 'opportunity' then valid_from_date end)
            as became_opportunity_date,
        min(case when lifecycle_stage = 'customer' then valid_from_date end)
            as became_customer_date,
        max(case when lifecycle_stage = 'recycled' then valid_from_date end)
            as last_recycled_date
    from history
    group by lead_id

),

stage_entries as (

    select
        lead_id,
        max(valid_from_date) as stage_entered_date,
        count(*) as stage_change_count
    from history
    where is_stage_change
    group by lead_id

),

first_mql as (

    select
        lead_id,
        valid_from_date as became_mql_date,
        evidence_at as became_mql_at,
        lead_score as lead_score_at_mql,
        row_number() over (partition by lead_id order by valid_from_date) as mql_rank
    from history
    where lifecycle_stage in ('mql', 'sql')

),

first_sql as (

    select
        lead_id,
        valid_from_date as became_sql_date,
        evidence_at as became_sql_at,
        lead_score as lead_score_at_sql,
        row_number() over (partition by lead_id order by valid_from_date) as sql_rank
    from history
    where lifecycle_stage = 'sql'

),

first_rows as (

    select
        lead_id,
        min(valid_from_date) as first_scored_date
    from history
    group by lead_id

),

current_rows as (

    select * from history
    where is_current

),

final as (

    select
        ---------- ids
        current_rows.lead_id,

        ---------- current state
        current_rows.lifecycle_stage,
        current_rows.lead_score,
        current_rows.has_opportunity,
        current_rows.opportunity_stage,
        current_rows.valid_from_date as last_changed_date,

        ---------- stage timeline
        first_rows.first_scored_date,
        stage_entries.stage_entered_date,
        stage_entries.stage_change_count,
        first_mql.became_mql_date,
        first_mql.became_mql_at,
        first_mql.lead_score_at_mql,
        first_sql.became_sql_date,
        first_sql.became_sql_at,
        first_sql.lead_score_at_sql,
        milestones.became_opportunity_date,
        milestones.became_customer_date,
        milestones.last_recycled_date,
        handoff_entries.handoff_date,
        coalesce(handoff_entries.handoff_count, 0) as handoff_count,
        first_mql.lead_id is not null as has_reached_mql,
        first_sql.lead_id is not null as has_reached_sql
    from current_rows
    inner join first_rows
        on current_rows.lead_id = first_rows.lead_id
    inner join stage_entries
        on current_rows.lead_id = stage_entries.lead_id
    inner join milestones
        on current_rows.lead_id = milestones.lead_id
    left join handoff_entries
        on current_rows.lead_id = handoff_entries.lead_id
    left join first_mql
        on
            current_rows.lead_id = first_mql.lead_id
            and first_mql.mql_rank = 1
    left join first_sql
        on
            current_rows.lead_id = first_sql.lead_id
            and first_sql.sql_rank = 1

)

select * from final
