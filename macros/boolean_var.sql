{#- Var name as true or false, else a one-line error. -#}
{% macro boolean_var(name, default) -%}
    {%- set value = var(name, default) | string | trim | lower -%}
    {%- if value in ['true', 'yes', '1'] -%}
        {{ return(true) }}
    {%- elif value in ['false', 'no', '0'] -%}
        {{ return(false) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "var " ~ name ~ " must be true or false, got '" ~ value ~ "'"
    ) }}
{%- endmacro %}
