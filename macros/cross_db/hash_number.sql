{#-
    A whole number hashed from a string, summed over rows into a fingerprint of a set of rows
    (int_scoring_inputs_fingerprinted): any row replaced by another changes the sum. Cast to
    bigint on every engine, so the sum has one type; collisions only make a run recompute less
    than it should with a chance of about one in four billion per changed row set.
-#}
{% macro hash_number(value) -%}
    {{ return(adapter.dispatch('hash_number', 'leadscore')(value)) }}
{%- endmacro %}

{#- DuckDB: hash() is a 64-bit unsigned number; its low 31 bits keep sums in a bigint. -#}
{% macro default__hash_number(value) -%}
    cast(hash({{ value }}) % 2147483647 as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro postgres__hash_number(value) -%}
    cast(hashtext({{ value }}) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro spark__hash_number(value) -%}
    cast(hash({{ value }}) as {{ dbt.type_bigint() }})
{%- endmacro %}
