{#- The whole numbers 0 to n - 1 as a one-column query (digit), for n up to 10. -#}
{% macro digits_sql(n) -%}
    {%- for value in range(n) %}
    select {{ value }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
