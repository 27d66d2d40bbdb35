{#-
    Table grants (the marts' `grants` config) are not enough on Postgres: a role also needs USAGE
    on the schema. Run at the end of every build; a no-op where the adapter has no such notion.
-#}
{% macro grant_schema_usage() -%}
    {{ return(adapter.dispatch('grant_schema_usage', 'leadscore')()) }}
{%- endmacro %}

{% macro default__grant_schema_usage() -%}
    select 1
{%- endmacro %}

{% macro postgres__grant_schema_usage() -%}
    grant usage on schema {{ generate_schema_name('marts', none) | trim }}
        to {{ adapter.quote(var('bi_role', 'bi_reader')) }}
{%- endmacro %}
