{#-
    accepted_values that must all be present: fails with each value not in the list and each
    value of the list that no row has.
-#}
{% test values_are_exactly(model, column_name, values) %}

    with

    expected as (

        {%- for value in values %}
            {%- if not loop.first %}
        union all
            {%- endif %}
        select '{{ value }}' as expected_value
        {%- endfor %}

    ),

    actual as (

        select distinct {{ column_name }} as actual_value
        from {{ model }}
        where {{ column_name }} is not null

    )

    select
        actual.actual_value,
        expected.expected_value
    from actual
    full outer join expected
        on actual.actual_value = expected.expected_value
    where
        actual.actual_value is null
        or expected.expected_value is null

{% endtest %}
