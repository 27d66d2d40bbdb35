{#- Fails with each row whose column is not strictly above min_value (nulls pass). -#}
{% test value_above(model, column_name, min_value) %}

    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} <= {{ min_value }}

{% endtest %}
