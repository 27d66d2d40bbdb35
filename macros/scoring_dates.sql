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

{#- The whole numbers 0 to n - 1 as a one-column query (digit), for n up to 10. -#}
{% macro digits_sql(n) -%}
    {%- for value in range(n) %}
    select {{ value }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    The score bands of seeds/score_bands.csv with their upper bounds, as a query: score_band,
    min_lead_score, next_min_lead_score (null for the top band), band_rank_from_top. A lead is
    in the band with min_lead_score <= lead_score < next_min_lead_score.
-#}
{% macro score_bands_sql() -%}
    select
        score_band,
        min_lead_score,
        lead(min_lead_score) over (order by min_lead_score) as next_min_lead_score,
        -- bigint on every engine (Spark's row_number is an int), as the contracts say.
        cast(row_number() over (order by min_lead_score desc) as {{ dbt.type_bigint() }})
            as band_rank_from_top
    from {{ ref('score_bands') }}
{%- endmacro %}
