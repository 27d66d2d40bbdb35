-- Leads, MQLs, SQLs, hot leads and customers per lead source. The lead_source_points row a lead
-- matched names its source; a source no row matched (or one worth 0 points, which gives no
-- component row) is shown as entered.

with

leads as (

    select * from {{ ref('qualified_leads') }}

),

changes as (

    select * from {{ ref('lead_stage_changes') }}

),

components as (

    select * from {{ ref('lead_score_components') }}

),

matched as (

    select
        lead_id,
        min(rule_name) as matched_source
    from components
    where score_type = 'fit' and dimension = 'lead_source'
    group by lead_id

),

sourced as (

    select
        coalesce(matched.matched_source, trim(leads.lead_source), '(none)') as lead_source,
        leads.is_hot,
        leads.lifecycle_stage,
        coalesce(changes.has_reached_mql, false) as has_reached_mql,
        coalesce(changes.has_reached_sql, false) as has_reached_sql
    from leads
    left join changes on leads.lead_id = changes.lead_id
    left join matched on leads.lead_id = matched.lead_id

),

final as (

    select
        lead_source,
        count(*) as leads,
        count(*) filter (where has_reached_mql) as mqls,
        count(*) filter (where has_reached_mql) / count(*) as mql_rate,
        count(*) filter (where has_reached_sql) as sqls,
        count(*) filter (where has_reached_sql)
        / nullif(count(*) filter (where has_reached_mql), 0) as sql_rate,
        count(*) filter (where is_hot) as hot,
        count(*) filter (where lifecycle_stage = 'customer') as customers
    from sourced
    group by lead_source

)

select * from final
order by leads desc, lead_source asc
