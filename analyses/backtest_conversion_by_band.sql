-- Conversion by lead-score band in the backtest (seed score_bands), top band first.

with

bands as (

    select * from {{ ref('backtest_score_bands') }}

)

select
    score_band,
    leads,
    conversions,
    conversion_rate,
    overall_conversion_rate,
    lift,
    cumulative_conversion_share
from bands
order by band_rank_from_top
