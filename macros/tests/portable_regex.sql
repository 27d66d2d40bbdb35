{#-
    Fails with each regular expression that uses a backslash (\d, \s, \b) or a (?...) group
    (look-around, flags): DuckDB, Postgres and Spark read these differently, or not at all. A
    pattern that does not compile fails the models that use it; `leadscore validate` compiles
    every pattern before dbt runs. (chr(92) is the backslash: Spark reads '\\' in a literal as
    one backslash, the others as two; replace() because LIKE treats a backslash as an escape.)
-#}
{% test portable_regex(model, column_name) %}

    select {{ column_name }}
    from {{ model }}
    where
        replace({{ column_name }}, chr(92), '') <> {{ column_name }}
        or replace({{ column_name }}, '(?', '') <> {{ column_name }}

{% endtest %}
