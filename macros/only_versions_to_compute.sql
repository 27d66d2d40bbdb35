{#-
    On an incremental run, true for the versions this table does not hold computed with
    computed_with() (new raw rows, or every row after a seed or SQL change); otherwise true.
-#}
{% macro only_versions_to_compute(column) -%}
    {%- if 'computed_with' in leadscore.incremental_columns() -%}
        {{ column }} not in (
            select stored.{{ column }}
            from {{ this }} as stored
            where stored.computed_with = {{ computed_with() }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
