{#-
    The columns of a model, as a select list prefixed with an alias, leaving out the names given:
    a CTE can replace one column of a wide parent without listing the other forty.
-#}
{% macro star_except(from, alias, except) -%}
    {%- if not execute -%}
        {{ return(alias ~ '.*') }}
    {%- endif -%}
    {%- set skipped = except | map('lower') | list -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(from) -%}
        {%- if column.name | lower not in skipped -%}
            {%- do columns.append(alias ~ '.' ~ column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns | join(',\n        ')) }}
{%- endmacro %}
