{#-
    The scoring date as 'YYYY-MM-DD', the first of: var score_as_of; the SCORE_AS_OF environment
    variable; the end date of the demo data set (raw.demo_dataset, written by `make build`), so
    that a plain `dbt build` after `make build` scores the demo as of its date; the UTC date the
    run started. One value holds for the whole run whatever engine evaluates it.
-#}
{% macro score_as_of_value() -%}
    {{ return(leadscore.score_as_of_and_source()[0]) }}
{%- endmacro %}
