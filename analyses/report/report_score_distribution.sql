-- Leads per 5-point bar of lead score (0-5, ..., 95-100) and lifecycle stage: the histogram on
-- the revenue page. A score of 100 falls in the last bar.

with

leads as (

    select * from {{ ref('qualified_leads') }}

),

final as (

    select
        least(cast(floor(lead_score / 5) as integer), 19) * 5 as score_from,
        lifecycle_stage,
        count(*) as leads
    from leads
    group by score_from, lifecycle_stage

)

select * from final
order by score_from, lifecycle_stage
