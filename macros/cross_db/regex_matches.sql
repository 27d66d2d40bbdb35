{#-
    Regular expressions differ by engine. Patterns in the seeds are written in the dialect the
    three engines share (no \b, no look-around): see seeds/_seeds.yml.
-#}
{% macro regex_matches(value, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'leadscore')(value, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(value, pattern) -%}
    regexp_matches({{ value }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regex_matches(value, pattern) -%}
    ({{ value }} ~ {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(value, pattern) -%}
    ({{ value }} rlike {{ pattern }})
{%- endmacro %}
