{#-
    The rows int_engagement_sums_rebased holds, as a query; none on a first run or
    --full-refresh (the columns of fallback, an event-days relation, with no rows). One shape
    either way: the model's CTEs of what to add and recompute are empty or full, never absent.
-#}
{% macro stored_engagement_sums(fallback) -%}
    {%- if is_incremental() -%}
        select * from {{ this }}
    {%- else -%}
        select
            lead_ref_type,
            lead_ref,
            event_type,
            rule_key,
            event_date as first_event_date,
            event_date as last_event_date,
            event_count,
            last_occurred_at,
            cast(null as integer) as half_life_days,
            cast(null as {{ type_double() }}) as decayed_event_count,
            event_date as sums_through,
            counted_at as counted_until,
            counted_at as processed_until
        from {{ fallback }}
        where 1 = 0
    {%- endif -%}
{%- endmacro %}
