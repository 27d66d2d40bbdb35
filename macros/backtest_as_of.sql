{#- The backtest date as a SQL date literal; a null date when the backtest is off. -#}
{% macro backtest_as_of() -%}
    {%- set value = backtest_as_of_value() -%}
    {%- if value is none -%}
        cast(null as date)
    {%- else -%}
        cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}
