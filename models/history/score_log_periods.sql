-- One row per lead and period in which its logged state held (lead_score_history's rows): from the
-- scoring date a change was logged (valid_from_date) until the next logged change
-- (valid_to_date, exclusive; null while current). Read from the score log as it stood on this
-- build's scoring date: a build for an earlier date shows the history up to that date. The
-- periods are defined here once, for lead_score_history and lead_stage_changes.

with

logged as (

    select * from {{ ref('score_log') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

score_log as (

    select logged.*
    from logged
    inner join scoring_dates
        on
            logged.score_as_of <= scoring_dates.score_as_of
            and scoring_dates.is_current

),

periods as (

    select
        *,
        lead(score_as_of) over (partition by lead_id order by score_as_of) as valid_to_date,
        lag(lifecycle_stage) over (partition by lead_id order by score_as_of)
            as previous_lifecycle_stage,
        lag(lead_score) over (partition by lead_id order by score_as_of) as previous_lead_score
    from score_log

),

final as (

    select
        ---------- ids
        {{ dbt.concat(['lead_id', "'|'", 'cast(score_as_of as ' ~ dbt.type_string() ~ ')']) }}
            as history_id,
        lead_id,

        ---------- validity
        score_as_of as valid_from_date,
        valid_to_date,
        valid_to_date is null as is_current,

        ---------- state
        fit_score,
        engagement_score,
        lead_score,
        lead_score - previous_lead_score as lead_score_change,
        fit_grade,
        engagement_level,
        priority,
        lifecycle_stage,
        previous_lifecycle_stage,
        coalesce(lifecycle_stage <> previous_lifecycle_stage, true) as is_stage_change,
        is_hot,
        is_bant_qualified,
        disqualification_reason,
        has_opportunity,
        opportunity_stage,

        ---------- timestamps
        last_engaged_at,
        evidence_at,
        logged_at,

        ---------- provenance
        scoring_version
    from periods

)

select * from final
