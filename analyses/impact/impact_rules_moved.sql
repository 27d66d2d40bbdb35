-- `leadscore impact`: the score components whose capped points differ between the sides, for
-- the leads whose stage or score changed (the temporary table `moves`, impact_lead_moves run
-- first). Compiled in the head side's project; the base side is the database attached as `base`.

-- `leadscore impact` runs on DuckDB (it attaches both sides' files); on another engine the
-- base side stays the head's relation, so that the project parses there too.
{%- set base_components = ref('lead_score_components') -%}
{%- if target.type == 'duckdb' -%}
    {%- set base_components = base_components.incorporate(path={'database': 'base'}) -%}
{%- endif %}

with

changed as (

    select lead_id from moves
    where is_stage_change or is_score_change

),

base_components as (

    select components.*
    from {{ base_components }} as components
    inner join changed on components.lead_id = changed.lead_id

),

head_components as (

    select components.*
    from {{ ref('lead_score_components') }} as components
    inner join changed on components.lead_id = changed.lead_id

),

final as (

    select
        coalesce(h.lead_id, b.lead_id) as lead_id,
        coalesce(h.score_type, b.score_type) as score_type,
        coalesce(h.dimension, b.dimension) as dimension,
        coalesce(h.rule_name, b.rule_name) as rule_name,
        coalesce(b.capped_points, 0) as points_before,
        coalesce(h.capped_points, 0) as points_after
    from base_components as b
    full outer join head_components as h
        on
            b.lead_id = h.lead_id
            and b.score_type = h.score_type
            and b.dimension = h.dimension
            and b.rule_name = h.rule_name
    where abs(coalesce(h.capped_points, 0) - coalesce(b.capped_points, 0)) > 1e-9

)

select * from final
