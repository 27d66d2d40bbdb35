-- Today's hand-off in its order, with the three reasons a rep reads (sales_handoff).

with

handoff as (

    select * from {{ ref('sales_handoff') }}

),

final as (

    select
        handoff_rank,
        lead_id,
        -- hot_list.csv's column is named name.
        trim(concat_ws(' ', first_name, last_name)) as name,  -- noqa: RF04
        job_title,
        company_name,
        country_code,
        lifecycle_stage,
        priority,
        lead_score,
        is_hot,
        handoff_date,
        reason_1,
        reason_2,
        reason_3
    from handoff

)

select * from final
order by handoff_rank
