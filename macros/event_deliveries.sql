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

{#-
    Pre-hook of int_events_deduplicated: raw deliveries are only ever appended (the contract),
    so a day that now holds fewer deliveries than stored, or none, means rows were removed from
    the raw table (a purge, a loader that re-synced). An incremental run cannot tell which
    events went, so it empties the table and the run that follows reads every day again,
    exactly as --full-refresh would.
-#}
{% macro empty_events_if_raw_rows_removed(events) -%}
    {#- With a load time (var raw_loaded_at) there is no census: see docs/RAW_CONTRACT.md. -#}
    {%- if 'delivery_day_count' in leadscore.incremental_columns()
        and not leadscore.raw_loaded_at_column('marketing_events') -%}
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

{#-
    On an incremental run, only rows whose column is in the subquery given; otherwise every row.
    One boolean expression, so the SQL has one shape either way.
-#}
{% macro only_on_incremental_runs(column, subquery) -%}
    {%- if is_incremental() -%}
        {{ column }} in ({{ subquery }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#-
    The rows int_event_days_aggregated holds (processed_at, rules_fingerprint), as a query;
    none on a first run or --full-refresh (fallback: the model's CTE of events, for the column
    types). One shape either way.
-#}
{% macro stored_event_days(fallback) -%}
    {%- if is_incremental() -%}
        select
            processed_at,
            rules_fingerprint
        from {{ this }}
    {%- else -%}
        select
            processed_at,
            cast(null as {{ dbt.type_string() }}) as rules_fingerprint
        from {{ fallback }}
        where 1 = 0
    {%- endif -%}
{%- endmacro %}
