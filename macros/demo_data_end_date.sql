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
