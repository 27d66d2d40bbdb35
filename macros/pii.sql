{#-
    A PII column of a mart (tagged meta.pii in YAML): the value, or null when the deployment
    sets var expose_pii to false so that BI tools reading the marts never see it.
-#}
{% macro pii(column, alias) -%}
    {%- if leadscore.boolean_var('expose_pii', true) -%}
        {{ column }} as {{ alias }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }}) as {{ alias }}
    {%- endif -%}
{%- endmacro %}
