-- AUC of lead_score, fit_score and engagement_score in the backtest: the probability that a
-- lead that converted within the horizon scored higher than one that did not (ties count half).
-- Computed as the Mann-Whitney statistic from average ranks, set-based.

with

outcomes as (

    select * from {{ ref('backtest_lead_outcomes') }}

),

scores as (

    select
        'lead_score' as score_name,
        lead_score as score,
        is_converted
    from outcomes

    union all

    select
        'fit_score' as score_name,
        fit_score as score,
        is_converted
    from outcomes

    union all

    select
        'engagement_score' as score_name,
        engagement_score as score,
        is_converted
    from outcomes

),

ranked as (

    select
        score_name,
        is_converted,
        -- Average rank of a tie: lowest rank plus half the other tied rows.
        rank() over (partition by score_name order by score)
        + (count(*) over (partition by score_name, score) - 1) / 2.0 as average_rank
    from scores

),

summed as (

    select
        score_name,
        sum(case when is_converted then 1 else 0 end) as positives,
        sum(case when is_converted then 0 else 1 end) as negatives,
        sum(case when is_converted then average_rank else 0 end) as positive_rank_sum
    from ranked
    group by score_name

),

final as (

    select
        score_name,
        positives as conversions,
        positives + negatives as leads,
        case
            when positives > 0 and negatives > 0
                then
                    (positive_rank_sum - positives * (positives + 1) / 2.0)
                    / (cast(positives as {{ type_double() }}) * negatives)
        end as auc
    from summed

)

select * from final
order by score_name desc
