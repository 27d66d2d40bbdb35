-- New MQLs and SQLs per week: the week each lead first became one (lead_stage_changes).

with

changes as (

    select * from {{ ref('lead_stage_changes') }}

),

reached as (

    select
        date_trunc('week', became_mql_date) as week_start,
        1 as is_mql,
        0 as is_sql
    from changes
    where became_mql_date is not null

    union all

    select
        date_trunc('week', became_sql_date) as week_start,
        0 as is_mql,
        1 as is_sql
    from changes
    where became_sql_date is not null

),

final as (

    select
        -- mqls_sqls_by_week.csv's column is named week.
        cast(week_start as date) as week,  -- noqa: RF04
        cast(sum(is_mql) as integer) as new_mqls,
        cast(sum(is_sql) as integer) as new_sqls
    from reached
    group by week_start

)

select * from final
order by week
