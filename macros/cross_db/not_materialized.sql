{#-
    A hint that a CTE read more than once is inlined into each reader instead of computed once
    and stored: DuckDB (2.0) stores such CTEs, which for a filter over 50M raw rows meant
    cleaning every row before the filter could apply (int_events_deduplicated: 12 s -> 4 s with
    nothing to do at 1M). Postgres reads the same hint; Spark has no such syntax (empty).
-#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'leadscore')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}
