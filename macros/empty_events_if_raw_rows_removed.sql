{#-
    Pre-hook of int_events_deduplicated: raw deliveries are only ever appended (the contract),
    so a day that now holds fewer deliveries than stored, or none, means rows were removed from
    the raw table (a purge, a loader that re-synced). An incremental run cannot tell which
    events went, so it empties the table and the run that follows reads every day again,
    exactly as --full-refresh would.
-#}
{% macro empty_events_if_raw_rows_removed(events) -%}
    {#- With a load time there is no census: see docs/RAW_CONTRACT.md. -#}
    {%- if 'delivery_day_count' in leadscore.incremental_columns()
        and not leadscore.events_have_load_time() -%}
        delete from {{ this }}
        where exists (
            select 1
            from (
                select
                    delivery_day,
                    max(delivery_day_count) as delivery_day_count
                from {{ this }}
                group by delivery_day
            ) as stored
            left join ({{ event_delivery_days_sql(events) }}) as raw_days
                on stored.delivery_day = raw_days.delivery_day
            where
                raw_days.delivery_day is null
                or raw_days.delivery_day_count < stored.delivery_day_count
        )
    {%- endif -%}
{%- endmacro %}
