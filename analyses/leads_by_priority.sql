-- The priority matrix as of score_as_of: scorable leads per fit grade (rows) and engagement
-- level (columns), with how many of them are hot. Run: dbt compile -s leads_by_priority.

with

scored_leads as (

    select * from {{ ref('qualified_leads') }}

),

final as (

    select
        fit_grade,
        sum(case when engagement_level = 1 then 1 else 0 end) as level_1_leads,
        sum(case when engagement_level = 2 then 1 else 0 end) as level_2_leads,
        sum(case when engagement_level = 3 then 1 else 0 end) as level_3_leads,
        sum(case when engagement_level = 4 then 1 else 0 end) as level_4_leads,
        sum(case when is_hot then 1 else 0 end) as hot_leads,
        count(*) as leads
    from scored_leads
    where lifecycle_stage <> 'disqualified'
    group by fit_grade

)

select * from final
order by fit_grade
