{#-
    The rows an append-only log model already holds, as a subquery of the given columns; on a
    first run, no rows (the same columns of fallback, filtered out). One shape either way. A
    column the existing table does not have yet (added by a newer version of the model) reads
    as null until on_schema_change adds it.
-#}
{% macro logged_rows(columns, fallback) -%}
    {%- if is_incremental() -%}
        {%- set existing = leadscore.incremental_columns() -%}
        {%- set selected = [] -%}
        {%- for column in columns -%}
            {%- if column | lower in existing -%}
                {%- do selected.append(column) -%}
            {%- else -%}
                {%- do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
            {%- endif -%}
        {%- endfor -%}
        (select {{ selected | join(', ') }} from {{ this }})
    {%- else -%}
        (select {{ columns | join(', ') }} from {{ fallback }} where 1 = 0)
    {%- endif -%}
{%- endmacro %}
