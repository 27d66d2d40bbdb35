{#-
    The scoring date as 'YYYY-MM-DD', the first of: var score_as_of; the SCORE_AS_OF environment
    variable; the end date of the demo data set (raw.demo_dataset, written by `make build`), so
    that a plain `dbt build` after `make build` scores the demo as of its date; the UTC date the
    run started. One value holds for the whole run whatever engine evaluates it.
-#}
{% macro score_as_of_value() -%}
    {{ return(leadscore.score_as_of_and_source()[0]) }}
{%- endmacro %}

{#- The scoring date and where it came from, for the line every run prints first. -#}
{% macro score_as_of_and_source() -%}
    {%- set value = var('score_as_of', none) -%}
    {%- set origin = 'var score_as_of' -%}
    {%- if value is none or value | string | trim == '' -%}
        {%- set value = env_var('SCORE_AS_OF', '') -%}
        {%- set origin = 'environment variable SCORE_AS_OF' -%}
    {%- endif -%}
    {%- if value | string | trim == '' -%}
        {%- set value = leadscore.demo_data_end_date() -%}
        {%- set origin = 'the end date of the demo data (raw.demo_dataset)' -%}
    {%- endif -%}
    {%- if value is none or value | string | trim == '' -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d') -%}
        {%- set origin = 'today (UTC); set var score_as_of to score another date' -%}
    {%- endif -%}
    {%- set name = 'environment variable SCORE_AS_OF' if origin.startswith('environment') else 'var score_as_of' -%}
    {{ return([leadscore.checked_date(value | string | trim, name), origin]) }}
{%- endmacro %}

{#- The end date recorded with the demo raw data, or none (not demo data, or not executing). -#}
{% macro demo_data_end_date() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(
        database=target.database, schema=var('raw_schema', 'raw'), identifier='demo_dataset'
    ) -%}
    {%- if relation is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query('select max(end_date) from ' ~ relation) -%}
    {%- if result is none or result.rows | length == 0 or result.rows[0][0] is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(result.rows[0][0] | string) }}
{%- endmacro %}

{#- on-run-start: say first which date this run scores as of, and why. -#}
{% macro announce_scoring_date() -%}
    {%- if execute -%}
        {%- set value, origin = leadscore.score_as_of_and_source() -%}
        {%- do log('Scoring as of ' ~ value ~ ' (' ~ origin ~ ')', info=True) -%}
    {%- endif -%}
{%- endmacro %}

{#- The scoring date as a SQL date literal. -#}
{% macro score_as_of() -%}
    cast('{{ score_as_of_value() }}' as date)
{%- endmacro %}

{#-
    The backtest date D as 'YYYY-MM-DD', or none when var backtest_as_of is 'off'. Unset, it is
    score_as_of minus backtest_horizon_days: the latest date whose whole horizon is observed.
-#}
{% macro backtest_as_of_value() -%}
    {%- set value = var('backtest_as_of', none) -%}
    {%- if value is not none and value | string | trim | lower == 'off' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is none or value | string | trim == '' -%}
        {%- set current = modules.datetime.datetime.strptime(score_as_of_value(), '%Y-%m-%d') -%}
        {%- set value = (current - modules.datetime.timedelta(days=backtest_horizon_days()))
            .strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {{ return(leadscore.checked_date(value | string | trim, 'var backtest_as_of')) }}
{%- endmacro %}

{#- Days after the backtest date in which a conversion counts (var backtest_horizon_days). -#}
{% macro backtest_horizon_days() -%}
    {{ return(leadscore.whole_number_var('backtest_horizon_days', 90, 1)) }}
{%- endmacro %}

{#- The backtest date as a SQL date literal; a null date when the backtest is off. -#}
{% macro backtest_as_of() -%}
    {%- set value = backtest_as_of_value() -%}
    {%- if value is none -%}
        cast(null as date)
    {%- else -%}
        cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}

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
        and node.name in ['int_raw_data_freshness', 'int_lead_states_logged'] -%}
        {%- do nodes.update({node.name: adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        )}) -%}
    {%- endfor -%}
    {%- set freshness = nodes.get('int_raw_data_freshness') -%}
    {%- set log_relation = nodes.get('int_lead_states_logged') -%}
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
