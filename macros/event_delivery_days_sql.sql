{#-
    Raw event deliveries with an id, counted per UTC day of occurrence (1900-01-01 for those
    without a timestamp): the census int_events_deduplicated compares with the counts it stored
    to find what changed since its last run. One definition for the model and its pre-hook;
    events: the model's ref('stg_marketing__events').
-#}
{% macro event_delivery_days_sql(events) -%}
    select
        coalesce(cast(occurred_at as date), cast('1900-01-01' as date)) as delivery_day,
        count(*) as delivery_day_count
    from {{ events }}
    where event_id is not null
    group by coalesce(cast(occurred_at as date), cast('1900-01-01' as date))
{%- endmacro %}
