{#- Var allow_history_beyond_data (default false) as a SQL boolean. -#}
{% macro allow_history_beyond_data() -%}
    {{ 'true' if leadscore.boolean_var('allow_history_beyond_data', false) else 'false' }}
{%- endmacro %}
