-- The explanation adds up: per lead, fit components sum to fit_score and engagement components
-- to engagement_score; lead_score is the seeded weighted sum of the two.

with

components as (

    select
        lead_id,
        sum(case when score_type = 'fit' then capped_points else 0 end) as fit_points,
        sum(case when score_type = 'engagement' then capped_points else 0 end) as engagement_points
    from {{ ref('lead_score_components') }}
    group by lead_id

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

compared as (

    select
        scored.lead_id,
        scored.fit_score,
        coalesce(components.fit_points, 0) as fit_points,
        scored.engagement_score,
        coalesce(components.engagement_points, 0) as engagement_points,
        scored.lead_score,
        settings.fit_weight * scored.fit_score
        + settings.engagement_weight * scored.engagement_score as expected_lead_score
    from {{ ref('qualified_leads') }} as scored
    left join components
        on scored.lead_id = components.lead_id
    cross join settings

)

select *
from compared
where
    abs(fit_score - fit_points) > 1e-9
    or abs(engagement_score - engagement_points) > 1e-9
    or abs(lead_score - expected_lead_score) > 1e-9
