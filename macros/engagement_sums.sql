{#-
    Whether int_engagement_sums_rebased computes every lead reference from the event days
    instead of adding to what it holds: on a first run or --full-refresh, on a table written
    before the columns existed, and when the scoring date is earlier than the date the sums were
    taken to (rebuilding an earlier date: events after it must come out). Asked once per run.
-#}
{% macro engagement_sums_recompute_all() -%}
    {%- if not is_incremental() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if 'sums_through' not in leadscore.incremental_columns() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = run_query('select max(sums_through) from ' ~ this) -%}
    {%- set through = found.columns[0].values()[0] -%}
    {{ return(through is none or (through | string)[:10] > leadscore.score_as_of_value()) }}
{%- endmacro %}

{#- Pre-hook: an incremental run that recomputes everything starts from an empty table. -#}
{% macro empty_engagement_sums_if_recomputed() -%}
    {%- if is_incremental() and leadscore.engagement_sums_recompute_all() -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}
