{#-
    The scoring date as 'YYYY-MM-DD': var score_as_of or, when unset, the UTC date the run
    started, so one value holds for the whole run whatever engine evaluates it.
-#}
{% macro score_as_of_value() -%}
    {%- set value = var('score_as_of', none) -%}
    {%- if value is none or value | string | trim == '' -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {{ return(leadscore.checked_date(value | string | trim, 'score_as_of')) }}
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
    {{ return(leadscore.checked_date(value | string | trim, 'backtest_as_of')) }}
{%- endmacro %}

{#- Days after the backtest date in which a conversion counts (var backtest_horizon_days). -#}
{% macro backtest_horizon_days() -%}
    {%- set value = var('backtest_horizon_days', 90) | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', value) or value | int < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var backtest_horizon_days must be a whole number of days, at least 1, got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value | int) }}
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

{% macro checked_date(value, name) -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a date written YYYY-MM-DD, got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
