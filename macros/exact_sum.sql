{#-
    The sum of a double expression, independent of the order the terms are added in: each term
    is rounded to 12 decimals and added as a decimal (exact), then returned as a double. Parallel
    threads add doubles in whatever order they finish, so a plain sum of the same rows differs
    in its last bits from build to build; with this one identical inputs give bit-identical
    scores (docs/CONTRIBUTING.md, "Identical rebuilds"). Terms up to 10^26 in size.
-#}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 12))) as {{ type_double() }})
{%- endmacro %}
