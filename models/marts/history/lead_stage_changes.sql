-- One row per lead in the score history: its current stage and since when, and when it first
-- became an MQL and an SQL, with its scores at that hand-off. Dates are the scoring dates on
-- which the score log first held the stage; the *_at timestamps are the latest fact (event or
-- CRM update) the score rested on that day, the best estimate of the moment the lead crossed.
-- A lead already in a stage when the history began counts from that first build.

with

history as (

    select * from {{ ref('lead_score_history') }}

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
        first_mql.lead_id is not null as has_reached_mql,
        first_sql.lead_id is not null as has_reached_sql
    from current_rows
    inner join first_rows
        on current_rows.lead_id = first_rows.lead_id
    inner join stage_entries
        on current_rows.lead_id = stage_entries.lead_id
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
