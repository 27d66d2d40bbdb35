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
