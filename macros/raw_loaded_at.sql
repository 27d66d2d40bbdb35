{#- The load time of a raw row as a timestamp column expression; null without the var. -#}
{% macro raw_loaded_at(table) -%}
    {%- set column = leadscore.raw_loaded_at_column(table) -%}
    {%- if column -%}
        cast({{ column }} as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast(null as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}
