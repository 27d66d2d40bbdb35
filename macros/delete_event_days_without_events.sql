{#-
    Pre-hook of int_event_days_aggregated: days that events (its ref('int_events_deduplicated'))
    no longer holds.
-#}
{% macro delete_event_days_without_events(events) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where event_date not in (
            select distinct events.event_date
            from {{ events }} as events
            where events.event_date is not null
        )
    {%- endif -%}
{%- endmacro %}
