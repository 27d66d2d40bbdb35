-- The scoring settings the warehouse was built with, one column per setting (mql_min_lead_score,
-- fit_weight, ...): every threshold the report pages and `leadscore impact` show.

select * from {{ ref('int_scoring_settings_pivoted') }}
