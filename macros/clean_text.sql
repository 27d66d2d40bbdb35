{#- Text clean-up shared by the staging models, so each rule is written once. -#}

{#-
    A string column trimmed, without NUL characters, and null when nothing is left: every text
    column of the raw tables goes through it in staging.
-#}
{% macro clean_text(column) -%}
    nullif(trim({{ strip_nul(column) }}), '')
{%- endmacro %}
