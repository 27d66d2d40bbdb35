{#-
    Fails with each value the regular expression does not match (nulls pass). Anchor the
    pattern (^...$) to match the whole value; write it in the dialect every engine shares.
-#}
{% test matches_pattern(model, column_name, pattern) %}

    select {{ column_name }}
    from {{ model }}
    where not {{ regex_matches(column_name, "'" ~ pattern | replace("'", "''") ~ "'") }}

{% endtest %}
