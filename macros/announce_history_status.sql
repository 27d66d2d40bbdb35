{#-
    on-run-end: say in plain words when this build's scoring date left the score history alone:
    a date far beyond the newest raw data (history not written), or a date before the latest one
    logged (the history marts show the log as it stood then). Silent otherwise, and after runs
    that did not build the freshness model for this date.
-#}
{% macro announce_history_status() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set nodes = {} -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model'
        and node.name in ['int_raw_data_freshness', 'score_log'] -%}
        {%- do nodes.update({node.name: adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        )}) -%}
    {%- endfor -%}
    {%- set freshness = nodes.get('int_raw_data_freshness') -%}
    {%- set log_relation = nodes.get('score_log') -%}
    {%- if freshness is none or log_relation is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set current = score_as_of_value() -%}
    {%- set result = run_query(
        'select cast(f.newest_data_date as ' ~ dbt.type_string() ~ '), f.days_beyond_data,'
        ~ ' f.is_within_data, cast((select max(l.score_as_of) from ' ~ log_relation ~ ' as l) as '
        ~ dbt.type_string() ~ ') from ' ~ freshness ~ ' as f'
        ~ ' where f.score_as_of = cast(\'' ~ current ~ '\' as date)'
    ) -%}
    {%- if result is none or result.rows | length == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set newest, days, within, latest = result.rows[0] -%}
    {%- if not within and not leadscore.boolean_var('allow_history_beyond_data', false) -%}
        {%- do log('History NOT written: scoring date ' ~ current ~ ' is ' ~ days
            ~ ' days after the newest raw data (' ~ newest ~ '), more than'
            ~ ' history_max_days_beyond_data allows. Build for the data\'s date'
            ~ ' (--vars \'{score_as_of: "' ~ newest ~ '"}\'), or set var'
            ~ ' allow_history_beyond_data: true if the data is merely quiet.', info=True) -%}
    {%- elif latest is not none and current < latest -%}
        {%- do log('Scoring date ' ~ current ~ ' is before the latest logged date ' ~ latest
            ~ ': nothing was written; the history marts and sales_handoff show the log as it'
            ~ ' stood on ' ~ current ~ '. Rebuild ' ~ latest ~ ' (or later) before a CRM sync.',
            info=True) -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
