-- The score's health month by month (score_health_monthly), oldest month first.

select * from {{ ref('score_health_monthly') }}
order by month_start
