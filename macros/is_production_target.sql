{#- Whether this run's target writes the production schemas (var production_targets). -#}
{% macro is_production_target() -%}
    {%- set targets = var('production_targets', ['prod']) -%}
    {%- if targets is string -%}
        {%- set targets = targets.split(',') | map('trim') | list -%}
    {%- endif -%}
    {{ return(target.name in targets) }}
{%- endmacro %}
