{#-
    The dates a build scores leads as of: score_as_of (is_current: the marts) and the backtest
    date (is_backtest). Every scoring model carries score_as_of as a key, so the one scoring
    implementation serves both; when the two dates coincide they share one row.
-#}
{% macro scoring_dates_sql() -%}
    {%- set current = score_as_of_value() -%}
    {%- set backtest = backtest_as_of_value() -%}
    select
        cast('{{ current }}' as date) as score_as_of,
        true as is_current,
        {{ 'true' if backtest == current else 'false' }} as is_backtest
    {%- if backtest is not none and backtest != current %}

    union all

    select
        cast('{{ backtest }}' as date) as score_as_of,
        false as is_current,
        true as is_backtest
    {%- endif %}
{%- endmacro %}
