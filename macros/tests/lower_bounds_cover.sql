{#-
    For bands given by their lower bound only (a score gets the band with the highest lower bound
    not above it): fails with each bound outside [lowest, highest], and when no band starts at
    lowest (scores below the lowest bound would get no band).
-#}
{% test lower_bounds_cover(model, column_name, lowest, highest) %}

    select {{ column_name }} as lower_bound
    from {{ model }}
    where
        {{ column_name }} < {{ lowest }}
        or {{ column_name }} > {{ highest }}

    union all

    select min({{ column_name }}) as lower_bound
    from {{ model }}
    having not coalesce(min({{ column_name }}) = {{ lowest }}, false)

{% endtest %}
