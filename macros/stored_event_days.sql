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
