{#-
    The order of the deliveries of one event_id: the first is the event, the others are
    duplicate_delivery. One definition for stg_marketing__events (delivery_number, read by
    rejected_rows) and int_events_deduplicated (which numbers only the event ids it re-reads).
    Nulls last spelled out: Spark sorts them first by default, DuckDB and Postgres last.
-#}
{% macro event_delivery_order() -%}
    occurred_at nulls last,
    event_type nulls last,
    lead_id nulls last,
    email nulls last,
    page_url nulls last,
    campaign_id nulls last
{%- endmacro %}
