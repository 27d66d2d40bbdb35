-- One row per month: the current seeds backtested on its first day (the same int_leads_scored
-- rows and conversion definition as the backtest, for each health date), so a revenue team sees
-- whether the scores still predict conversion. The leads scored on that day without an
-- opportunity, how many converted within the horizon, the AUC of lead_score, and how precise
-- and complete the MQL stage (mql or sql) was. A month is judged when its horizon is observed
-- and it has at least health_min_conversions conversions; its AUC is compared with the median
-- AUC of the judged months before it, and warn_score_health_auc_drop fires when the latest
-- judged month falls more than health_max_auc_drop below it.

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

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

outcomes as (

    select
        scored_leads.score_as_of,
        scored_leads.lead_id,
        scored_leads.lead_score,
        scored_leads.lifecycle_stage in ('mql', 'sql') as is_mql,
        lead_outcomes.is_converted,
        lead_outcomes.is_horizon_observed
    from scored_leads
    inner join scoring_dates
        on scored_leads.score_as_of = scoring_dates.score_as_of
    inner join lead_outcomes
        on
            scored_leads.score_as_of = lead_outcomes.score_as_of
            and scored_leads.lead_id = lead_outcomes.lead_id
    where scoring_dates.is_health_check

),

-- AUC as the Mann-Whitney statistic: the mean rank of converted leads by lead_score, ties
-- sharing the average of their ranks. In doubles on every engine (Spark and Postgres would
-- divide in decimals of their own precision).
ranked as (

    select
        score_as_of,
        is_converted,
        cast(rank() over (partition by score_as_of order by lead_score) as {{ type_double() }})
        + (
            cast(count(*) over (partition by score_as_of, lead_score) as {{ type_double() }}) - 1
        ) / 2 as score_rank
    from outcomes

),

rank_sums as (

    select
        score_as_of,
        sum(case when is_converted then score_rank else 0 end) as converted_rank_sum
    from ranked
    group by score_as_of

),

monthly as (

    select
        outcomes.score_as_of,
        count(*) as leads,
        sum(case when outcomes.is_converted then 1 else 0 end) as conversions,
        sum(case when outcomes.is_mql then 1 else 0 end) as mql_leads,
        sum(case when outcomes.is_mql and outcomes.is_converted then 1 else 0 end)
            as mql_conversions,
        min(case when outcomes.is_horizon_observed then 1 else 0 end) = 1 as is_horizon_observed
    from outcomes
    group by outcomes.score_as_of

),

measured as (

    select
        monthly.*,
        case
            when monthly.conversions > 0 and monthly.conversions < monthly.leads
                then (
                    rank_sums.converted_rank_sum
                    - cast(monthly.conversions as {{ type_double() }})
                    * (monthly.conversions + 1) / 2
                ) / (
                    cast(monthly.conversions as {{ type_double() }})
                    * (monthly.leads - monthly.conversions)
                )
        end as auc,
        monthly.is_horizon_observed
        and monthly.conversions >= settings.health_min_conversions
        and monthly.conversions < monthly.leads as is_judged
    from monthly
    inner join rank_sums
        on monthly.score_as_of = rank_sums.score_as_of
    cross join settings

),

-- The judged months before each month, in AUC order, for the median.
earlier_judged as (

    select
        measured.score_as_of,
        earlier.auc,
        row_number() over (partition by measured.score_as_of order by earlier.auc) as auc_rank,
        count(*) over (partition by measured.score_as_of) as judged_before
    from measured
    inner join measured as earlier
        on
            measured.score_as_of > earlier.score_as_of
            and earlier.is_judged

),

medians as (

    select
        score_as_of,
        max(judged_before) as judged_months_before,
        avg(auc) as median_auc_before
    from earlier_judged
    -- The middle one (odd count) or the middle two (even count).
    where
        auc_rank * 2 in (judged_before, judged_before + 1, judged_before + 2)
    group by score_as_of

),

final as (

    select
        measured.score_as_of as month_start,
        {{ backtest_horizon_days() }} as horizon_days,
        cast(measured.leads as {{ dbt.type_bigint() }}) as leads,
        cast(measured.conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(measured.conversions as {{ type_double() }}) / measured.leads as conversion_rate,
        cast(measured.auc as {{ type_double() }}) as auc,
        cast(measured.mql_leads as {{ dbt.type_bigint() }}) as mql_leads,
        cast(measured.mql_conversions as {{ dbt.type_bigint() }}) as mql_conversions,
        case
            when measured.mql_leads > 0
                then cast(measured.mql_conversions as {{ type_double() }}) / measured.mql_leads
        end as mql_precision,
        case
            when measured.conversions > 0
                then cast(measured.mql_conversions as {{ type_double() }}) / measured.conversions
        end as mql_recall,
        measured.is_horizon_observed,
        measured.is_judged,
        cast(coalesce(medians.judged_months_before, 0) as {{ dbt.type_bigint() }})
            as judged_months_before,
        cast(medians.median_auc_before as {{ type_double() }}) as median_auc_before,
        cast(medians.median_auc_before - measured.auc as {{ type_double() }}) as auc_drop,
        coalesce(
            measured.is_judged
            and medians.median_auc_before - measured.auc > settings.health_max_auc_drop,
            false
        ) as is_auc_drop,
        coalesce(
            measured.score_as_of = max(
                case when measured.is_judged then measured.score_as_of end
            ) over (),
            false
        ) as is_latest_judged
    from measured
    cross join settings
    left join medians
        on measured.score_as_of = medians.score_as_of

)

select * from final
