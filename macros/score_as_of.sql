{#- The scoring date as a SQL date literal. -#}
{% macro score_as_of() -%}
    cast('{{ score_as_of_value() }}' as date)
{%- endmacro %}
