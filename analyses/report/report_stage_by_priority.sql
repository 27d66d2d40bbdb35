-- Leads today per lifecycle stage and priority (the grid on the revenue page).

with

leads as (

    select * from {{ ref('qualified_leads') }}

),

final as (

    select
        lifecycle_stage,
        priority,
        count(*) as leads
    from leads
    group by lifecycle_stage, priority

)

select * from final
