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
