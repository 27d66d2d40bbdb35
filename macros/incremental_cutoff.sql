{#-
    The first instant an incremental run of the event models re-reads: score_as_of minus
    var incremental_lookback_days (default 3). Anchored to the scoring date, not to the latest
    event loaded, so that a broken far-future timestamp cannot stop new events from loading.
-#}
{% macro incremental_cutoff() -%}
    {%- set days = var('incremental_lookback_days', 3) | int -%}
    {{ dbt.dateadd('day', -days, 'cast(' ~ score_as_of() ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
{%- endmacro %}
