{#-
    The scoring date as a SQL date literal. Var score_as_of (YYYY-MM-DD) or, when unset, the UTC
    date the run started: one value for the whole run, whatever engine evaluates it.
-#}
{% macro score_as_of() -%}
    {%- set value = var('score_as_of', none) -%}
    {%- if value is none or value | string | trim == '' -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string) -%}
        {{ exceptions.raise_compiler_error(
            "var score_as_of must be a date written YYYY-MM-DD, got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}
