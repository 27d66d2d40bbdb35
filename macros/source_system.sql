{#-
    Var source_system, checked: where the CRM's tables come from (contract: the raw contract's
    tables; salesforce, hubspot: the adapters in models/staging/salesforce/ and
    models/staging/hubspot/). Any other value stops the parse with one line, before a model
    reads the wrong tables.
-#}
{% macro source_system() -%}
    {{ return(choice_var('source_system', ['contract', 'salesforce', 'hubspot'])) }}
{%- endmacro %}
