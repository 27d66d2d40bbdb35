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
