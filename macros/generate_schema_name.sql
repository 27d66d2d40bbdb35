{#-
    Schemas are exactly raw, staging, intermediate and marts: a custom schema is used as it is,
    not prefixed with the target schema, so BI tools and the README can name them.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
