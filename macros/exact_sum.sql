{#-
    The sum of a double expression, independent of the order the terms are added in: each term
    is rounded to 1e-12 and added as a whole number of 1e-12 units (exact), then returned as a
    double. Parallel threads add doubles in whatever order they finish, so a plain sum of the
    same rows differs in its last bits from build to build; with this one identical inputs give
    bit-identical scores (docs/CONTRIBUTING.md, "Identical rebuilds"). A term may be up to about
    9 million (a larger one fails the run with an overflow error, never silently).
-#}
{% macro exact_sum(expression) -%}
    {{ return(adapter.dispatch('exact_sum', 'leadscore')(expression)) }}
{%- endmacro %}

{#- DuckDB and Postgres add bigints into a wider type (hugeint, numeric): no overflow. -#}
{% macro default__exact_sum(expression) -%}
    cast(sum(cast(round(({{ expression }}) * 1000000000000) as {{ dbt.type_bigint() }}))
        as {{ type_double() }}) / 1000000000000
{%- endmacro %}

{#- Spark sums bigints into a bigint: decimals there, which it widens. -#}
{% macro spark__exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 12))) as {{ type_double() }})
{%- endmacro %}
