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

{#- The timestamp this dbt invocation started (UTC, to the microsecond), as a SQL literal. -#}
{% macro run_started_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

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

{#-
    Pre-hook of the score log: on a rebuild of the latest logged scoring date, delete that date's
    rows so that the build writes them again from today's data. Any other date deletes nothing.
-#}
{% macro delete_logged_scoring_date() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            score_as_of = {{ score_as_of() }}
            and score_as_of >= (select max(latest.score_as_of) from {{ this }} as latest)
    {%- endif -%}
{%- endmacro %}

{#- Var allow_history_beyond_data (default false) as a SQL boolean. -#}
{% macro allow_history_beyond_data() -%}
    {{ 'true' if leadscore.boolean_var('allow_history_beyond_data', false) else 'false' }}
{%- endmacro %}
