-- One row per lead-score band of seeds/score_bands.csv with its upper bound and its rank from
-- the top. A lead is in the band with min_lead_score <= lead_score < next_min_lead_score (null
-- for the top band). Read by the backtest's bands and the score health's segments.

with

score_bands as (

    select * from {{ ref('score_bands') }}

),

final as (

    select
        score_band,
        min_lead_score,
        lead(min_lead_score) over (order by min_lead_score) as next_min_lead_score,
        -- bigint on every engine (Spark's row_number is an int), as the contracts say.
        cast(row_number() over (order by min_lead_score desc) as {{ dbt.type_bigint() }})
            as band_rank_from_top
    from score_bands

)

select * from final
