{#-
    Var source_system, checked: where the CRM's tables come from (contract: the raw contract's
    tables; salesforce: the Salesforce adapter in models/staging/salesforce/). Any other value
    stops the parse with one line, before a model reads the wrong tables.
-#}
{% macro source_system() -%}
    {%- set systems = ['contract', 'salesforce'] -%}
    {%- set system = var('source_system', 'contract') -%}
    {%- if system not in systems -%}
        {{ exceptions.raise_compiler_error(
            "var source_system must be one of " ~ systems | join(', ') ~ ", got '" ~ system
            ~ "': set it in dbt_project.yml or --vars '{source_system: salesforce}'"
        ) }}
    {%- endif -%}
    {{ return(system) }}
{%- endmacro %}
