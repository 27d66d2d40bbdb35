{#-
    The string without NUL characters (a CSV export or a Postgres load of the marts breaks on
    them). Postgres text cannot hold NUL, so there is nothing to strip there.
-#}
{% macro strip_nul(value) -%}
    {{ return(adapter.dispatch('strip_nul', 'leadscore')(value)) }}
{%- endmacro %}

{% macro default__strip_nul(value) -%}
    replace({{ value }}, chr(0), '')
{%- endmacro %}

{% macro postgres__strip_nul(value) -%}
    {{ value }}
{%- endmacro %}

{% macro spark__strip_nul(value) -%}
    replace({{ value }}, char(0), '')
{%- endmacro %}
