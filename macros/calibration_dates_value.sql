{#-
    Var calibration_dates as a list of 'YYYY-MM-DD' strings: a list, or one string of dates
    separated by commas; empty by default.
-#}
{% macro calibration_dates_value() -%}
    {%- set value = var('calibration_dates', []) -%}
    {%- if value is none -%}
        {%- set value = [] -%}
    {%- elif value is string -%}
        {%- set value = value.split(',') -%}
    {%- endif -%}
    {%- set dates = [] -%}
    {%- for item in value if item | string | trim != '' -%}
        {%- do dates.append(leadscore.checked_date(item | string | trim, 'var calibration_dates')) -%}
    {%- endfor -%}
    {{ return(dates) }}
{%- endmacro %}
