{#-
    The newest load time int_events_deduplicated stored (loaded_until), as a subquery; none on
    a first run or on a table written before the column existed (every id is read then).
-#}
{% macro stored_loaded_until(fallback) -%}
    {%- if 'loaded_until' in leadscore.incremental_columns() -%}
        (select max(loaded_until) as loaded_until from {{ this }})
    {%- else -%}
        (select loaded_at as loaded_until from {{ fallback }} where 1 = 0)
    {%- endif -%}
{%- endmacro %}
