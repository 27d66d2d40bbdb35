-- Scores should rank: a higher band should not convert less often than a lower one. Bands with
-- fewer than backtest_min_leads_per_band leads are not judged (their rates are noise).
{{ config(severity='warn', meta={'remedy': 'The lead score no longer ranks conversions between'
    ~ ' these bands (backtest as of var backtest_as_of). Let make calibrate learn the weights'
    ~ ' from conversions and preview them with make impact, or check the seed rows you changed'
    ~ ' last (make impact BASE=<the ref before>).'}) }}

with

bands as (

    select *
    from {{ ref('backtest_score_bands') }}
    where leads >= {{ leadscore.whole_number_var('backtest_min_leads_per_band', 50, 1) }}

),

ordered as (

    select
        score_band,
        min_lead_score,
        leads,
        conversion_rate,
        lag(score_band) over (order by min_lead_score) as lower_band,
        lag(conversion_rate) over (order by min_lead_score) as lower_band_conversion_rate
    from bands

)

select *
from ordered
where conversion_rate < lower_band_conversion_rate
