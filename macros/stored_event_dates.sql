{#-
    The events int_events_deduplicated holds (id, date, lead reference and type), as a
    subquery; none on a first run.
-#}
{% macro stored_event_dates(fallback) -%}
    {%- if is_incremental() -%}
        (select event_id, event_date, lead_id, email, event_type from {{ this }})
    {%- else -%}
        (select
            event_id,
            cast(null as date) as event_date,
            lead_id,
            email,
            event_type
        from {{ fallback }} where 1 = 0)
    {%- endif -%}
{%- endmacro %}
