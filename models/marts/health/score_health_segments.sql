-- One row per health month and segment: the leads scored on the month's first day (as in
-- score_health_monthly) by lead-score band (seed score_bands) and by lifecycle stage, with how
-- many converted within the horizon. A band or stage that converts less than the one below it
-- month after month is a weight to revisit.

with

scored_leads as (

    select * from {{ ref('int_leads_scored') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

lead_outcomes as (

    select * from {{ ref('int_lead_outcomes_observed') }}

),

bands as (

    select * from {{ ref('int_score_bands_ranked') }}

),

-- Stages in funnel order, the furthest first (lifecycle_stages.stage_order).
stages as (

    select
        lifecycle_stage,
        cast(row_number() over (order by stage_order desc) as {{ dbt.type_bigint() }})
            as stage_rank
    from {{ ref('lifecycle_stages') }}

),

outcomes as (

    select
        scored_leads.score_as_of,
        scored_leads.lead_score,
        scored_leads.lifecycle_stage,
        lead_outcomes.is_converted
    from scored_leads
    inner join scoring_dates
        on scored_leads.score_as_of = scoring_dates.score_as_of
    inner join lead_outcomes
        on
            scored_leads.score_as_of = lead_outcomes.score_as_of
            and scored_leads.lead_id = lead_outcomes.lead_id
    where scoring_dates.is_health_check

),

segmented as (

    select
        outcomes.score_as_of,
        'score_band' as segment_type,
        bands.score_band as segment,
        bands.band_rank_from_top as segment_order,
        outcomes.is_converted
    from outcomes
    inner join bands
        on
            outcomes.lead_score >= bands.min_lead_score
            and (
                outcomes.lead_score < bands.next_min_lead_score
                or bands.next_min_lead_score is null
            )

    union all

    select
        outcomes.score_as_of,
        'lifecycle_stage' as segment_type,
        outcomes.lifecycle_stage as segment,
        stages.stage_rank as segment_order,
        outcomes.is_converted
    from outcomes
    left join stages
        on outcomes.lifecycle_stage = stages.lifecycle_stage

),

final as (

    select
        score_as_of as month_start,
        segment_type,
        segment,
        segment_order,
        cast(count(*) as {{ dbt.type_bigint() }}) as leads,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as conversions,
        cast(sum(case when is_converted then 1 else 0 end) as {{ type_double() }}) / count(*)
            as conversion_rate
    from segmented
    group by score_as_of, segment_type, segment, segment_order

)

select * from final
