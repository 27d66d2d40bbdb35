{#-
    Var name as one of choices (the first is the default), else a one-line error that names
    the choices and shows how to set the second.
-#}
{% macro choice_var(name, choices) -%}
    {%- set value = var(name, choices[0]) -%}
    {%- if value not in choices -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be one of " ~ choices | join(', ') ~ ", got '" ~ value
            ~ "': set it in dbt_project.yml or --vars '{" ~ name ~ ": " ~ choices[1] ~ "}'"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
