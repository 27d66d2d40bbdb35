{#-
    The day counts int_events_deduplicated stored on its last run, as a subquery; none on a
    first run or on a table written before the counts existed (every day then reads as changed).
-#}
{% macro stored_delivery_days(fallback) -%}
    {%- if 'delivery_day_count' in leadscore.incremental_columns() -%}
        (select delivery_day, max(delivery_day_count) as delivery_day_count
        from {{ this }} group by delivery_day)
    {%- else -%}
        (select delivery_day, delivery_day_count from {{ fallback }} where 1 = 0)
    {%- endif -%}
{%- endmacro %}
