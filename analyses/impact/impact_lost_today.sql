-- `leadscore impact`: leads that lose MQL or SQL (the temporary table `moves`) although they
-- first qualified on the date scored: the rebuild of that date is what drops them (a later build
-- would hold them by memory once a build has logged them). Read from the base side (the database
-- attached as `base`).

-- `leadscore impact` runs on DuckDB (it attaches both sides' files); on another engine the
-- base side stays the head's relation, so that the project parses there too.
{%- set base_changes = ref('lead_stage_changes') -%}
{%- if target.type == 'duckdb' -%}
    {%- set base_changes = base_changes.incorporate(path={'database': 'base'}) -%}
{%- endif %}
{%- set base_leads = ref('qualified_leads') -%}
{%- if target.type == 'duckdb' -%}
    {%- set base_leads = base_leads.incorporate(path={'database': 'base'}) -%}
{%- endif %}

with

scored_on as (

    select max(score_as_of) as score_as_of from {{ base_leads }}

),

final as (

    select count(*) as leads
    from moves
    inner join {{ base_changes }} as changes on moves.lead_id = changes.lead_id
    cross join scored_on
    where
        moves.from_stage in ('mql', 'sql')
        and moves.to_stage not in ('mql', 'sql')
        and changes.became_mql_date = scored_on.score_as_of

)

select * from final
