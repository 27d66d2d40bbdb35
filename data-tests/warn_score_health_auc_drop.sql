-- The latest judged month of score_health_monthly (horizon observed, at least
-- health_min_conversions conversions) has an AUC more than health_max_auc_drop below the median
-- of the judged months before it: the seeds predict conversion worse than they did.
{{ config(
    severity='warn',
    meta={'remedy': 'The scores predict conversion worse than in earlier months: compare the'
        ~ ' months in marts.score_health_monthly and score_health_segments (report: Score'
        ~ ' health), then run `make calibrate` to re-estimate the seeds.'}
) }}

select
    month_start,
    auc,
    median_auc_before,
    auc_drop
from {{ ref('score_health_monthly') }}
where
    is_latest_judged
    and is_auc_drop
