{#-
    Whether the event deliveries carry the time the loader landed them, so that an incremental
    run reads only the rows loaded since its last one (else it compares per-day census counts):
    Segment's tables always do (base_segment__events: uuid_ts, else received_at); the raw
    contract's marketing_events when var raw_loaded_at names its column.
-#}
{% macro events_have_load_time() -%}
    {{ return(leadscore.event_source() == 'segment'
        or leadscore.raw_loaded_at_column('marketing_events') is not none) }}
{%- endmacro %}
