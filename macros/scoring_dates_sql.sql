{#-
    The dates a build scores leads as of: score_as_of (is_current: the marts), the backtest
    date (is_backtest) and any var calibration_dates (neither: `make calibrate` scores its
    training dates in the same build). Every scoring model carries score_as_of as a key, so the
    one scoring implementation serves all of them; a date listed twice gets one row.
-#}
{% macro scoring_dates_sql() -%}
    {%- set current = score_as_of_value() -%}
    {%- set backtest = backtest_as_of_value() -%}
    {%- set extra = [] -%}
    {%- for value in calibration_dates_value() -%}
        {%- if value not in [current, backtest] and value not in extra -%}
            {%- do extra.append(value) -%}
        {%- endif -%}
    {%- endfor %}
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
    {%- for value in extra %}

    union all

    select
        cast('{{ value }}' as date) as score_as_of,
        false as is_current,
        false as is_backtest
    {%- endfor %}
{%- endmacro %}
