{#-
    Every match of a regular expression replaced (the 'g' flag where the engine needs it;
    Spark replaces every match by default). Patterns: the dialect the three engines share.
-#}
{% macro regex_replace_all(value, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'leadscore')(value, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}
