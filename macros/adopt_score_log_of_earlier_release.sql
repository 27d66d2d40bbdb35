{#-
    on-run-start: before this release the score log was the model int_lead_states_logged (it is
    score_log now, in models/history/). A warehouse that holds the old table and not the new one
    gets score_log as a copy of it, every row kept, so no history is lost to the rename; the old
    table is left in place (drop it once satisfied) and the build says so. Nothing happens
    otherwise, and nothing on runs that do not execute.
-#}
{% macro adopt_score_log_of_earlier_release() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model'
        and node.name == 'score_log' -%}
        {%- set earlier = adapter.get_relation(
            database=node.database, schema=node.schema, identifier='int_lead_states_logged'
        ) -%}
        {%- set current = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) -%}
        {%- if earlier is not none and current is none -%}
            {%- set log_relation = api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias, type='table'
            ) -%}
            {%- do run_query('create table ' ~ log_relation ~ ' as select * from ' ~ earlier) -%}
            {#- dbt listed the relations before this hook ran: tell it the log exists now. -#}
            {%- do adapter.cache_added(log_relation) -%}
            {%- do log('Score log of an earlier release: ' ~ earlier ~ ' copied into '
                ~ log_relation ~ " (the score log's new name), every row kept; drop "
                ~ earlier ~ ' once satisfied.', info=True) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
