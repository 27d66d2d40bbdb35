{#-
    The lower-case column names of the table an incremental run adds to; empty on a first run
    or a full refresh. A model written by an older version may lack a newer column.
-#}
{% macro incremental_columns() -%}
    {#- A dbt unit test of an incremental model has no relation (this is none). -#}
    {%- if this is none or not is_incremental() -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}
