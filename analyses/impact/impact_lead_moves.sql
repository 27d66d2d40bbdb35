-- `leadscore impact`: every lead on either side with its stage and scores before (the base
-- seeds) and after (the working tree's). Compiled in the head side's project: ref() names the
-- head's relations, and the base's are the same relations in the database attached as `base`.
-- A score moves when it changes by more than 1e-9 (float noise below that; impact.EPSILON).

-- `leadscore impact` runs on DuckDB (it attaches both sides' files); on another engine the
-- base side stays the head's relation, so that the project parses there too.
{%- set base_leads = ref('qualified_leads') -%}
{%- if target.type == 'duckdb' -%}
    {%- set base_leads = base_leads.incorporate(path={'database': 'base'}) -%}
{%- endif %}

with

base_leads as (

    select * from {{ base_leads }}

),

head_leads as (

    select * from {{ ref('qualified_leads') }}

),

final as (

    select
        coalesce(h.lead_id, b.lead_id) as lead_id,
        coalesce(h.company_name, b.company_name) as company_name,
        coalesce(b.lifecycle_stage, '(not scored)') as from_stage,
        coalesce(h.lifecycle_stage, '(not scored)') as to_stage,
        b.lead_score as base_score,
        h.lead_score as head_score,
        coalesce(h.lead_score, 0) - coalesce(b.lead_score, 0) as score_change,
        b.priority as base_priority,
        h.priority as head_priority,
        h.fit_score as head_fit_score,
        h.engagement_score as head_engagement_score,
        coalesce(b.lifecycle_stage, '') <> coalesce(h.lifecycle_stage, '') as is_stage_change,
        b.lead_score is not null and h.lead_score is not null
        and abs(h.lead_score - b.lead_score) > 1e-9 as is_score_change
    from base_leads as b
    full outer join head_leads as h on b.lead_id = h.lead_id

)

select * from final
