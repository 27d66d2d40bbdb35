{#-
    Production targets (var production_targets: by default `prod` and the three targets the
    shipped profile defines) build into exactly the schemas staging, intermediate
    and marts, so BI tools and the README can name them. Any other target (a developer's `dev`
    with `schema: dev_alice`) builds into schemas prefixed with its own schema
    (dev_alice_staging, dev_alice_intermediate, dev_alice_marts): a dev build never replaces a
    production mart and never writes the production score log. Sources (the raw tables) are read
    where var raw_schema says, whichever the target.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- elif leadscore.is_production_target() -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema | trim }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
