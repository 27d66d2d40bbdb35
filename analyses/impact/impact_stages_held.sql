-- `leadscore impact`: leads that no longer qualify for their stage under the working tree's
-- seeds but keep it, as the daily build does (stages move forward only until a lead is
-- recycled), while the base's seeds qualify them on the facts. Compiled in the head side's
-- project; the base side is the database attached as `base`.

-- `leadscore impact` runs on DuckDB (it attaches both sides' files); on another engine the
-- base side stays the head's relation, so that the project parses there too.
{%- set base_stages = ref('int_lead_stages_tracked') -%}
{%- if target.type == 'duckdb' -%}
    {%- set base_stages = base_stages.incorporate(path={'database': 'base'}) -%}
{%- endif %}

with

head_stages as (

    select * from {{ ref('int_lead_stages_tracked') }}

),

base_stages as (

    select * from {{ base_stages }}

),

final as (

    select
        h.lifecycle_stage,
        h.qualification_stage,
        count(*) as leads
    from head_stages as h
    inner join base_stages as b on h.lead_id = b.lead_id
    where
        h.lifecycle_stage <> h.qualification_stage
        and b.lifecycle_stage = b.qualification_stage
        and h.lifecycle_stage in ('mql', 'sql')
    group by h.lifecycle_stage, h.qualification_stage

)

select * from final
order by leads desc, lifecycle_stage asc, qualification_stage asc
