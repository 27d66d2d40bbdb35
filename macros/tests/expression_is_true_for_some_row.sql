{#- Fails (with one row) when no row makes the boolean SQL expression true. -#}
{% test expression_is_true_for_some_row(model, expression) %}

    select count(*) as matching_rows
    from {{ model }}
    having coalesce(sum(case when {{ expression }} then 1 else 0 end), 0) = 0

{% endtest %}
