{#- Days after the backtest date in which a conversion counts (var backtest_horizon_days). -#}
{% macro backtest_horizon_days() -%}
    {{ return(leadscore.whole_number_var('backtest_horizon_days', 90, 1)) }}
{%- endmacro %}
