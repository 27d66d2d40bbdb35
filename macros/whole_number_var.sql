{#- Var name as a whole number of at least minimum, else a one-line error. -#}
{% macro whole_number_var(name, default, minimum) -%}
    {%- set value = var(name, default) | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', value) or value | int < minimum -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a whole number, at least " ~ minimum ~ ", got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value | int) }}
{%- endmacro %}
