{#-
    The first instant an incremental run of the event models re-reads: score_as_of minus
    var incremental_lookback_days (default 3). Anchored to the scoring date, not to the latest
    event loaded, so that a broken far-future timestamp cannot stop new events from loading.
-#}
{% macro incremental_cutoff() -%}
    {%- set days = var('incremental_lookback_days', 3) | int -%}
    {{ dbt.dateadd('day', -days, 'cast(' ~ score_as_of() ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
{%- endmacro %}

{#-
    A filter for the event models: on an incremental run, rows from the cutoff on; otherwise
    every row. Always a single boolean expression, so the SQL has one shape either way.
-#}
{% macro since_incremental_cutoff(column) -%}
    {%- if is_incremental() -%}
        {{ column }} >= {{ incremental_cutoff() }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- On an incremental run, only keys the model does not hold yet; otherwise every row. -#}
{% macro not_loaded_yet(column) -%}
    {%- if is_incremental() -%}
        {{ column }} not in (select loaded.{{ column }} from {{ this }} as loaded)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#-
    The rows an append-only log model already holds, as a subquery of the given columns; on a
    first run, no rows (the same columns of fallback, filtered out). One shape either way.
-#}
{% macro logged_rows(columns, fallback) -%}
    {%- if is_incremental() -%}
        (select {{ columns | join(', ') }} from {{ this }})
    {%- else -%}
        (select {{ columns | join(', ') }} from {{ fallback }} where 1 = 0)
    {%- endif -%}
{%- endmacro %}
