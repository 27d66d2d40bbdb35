{#-
    Fails with each band whose lower bound is not below its upper bound, and each band that does
    not start where the band below it ends: bands neither overlap nor leave gaps. With an
    inclusive upper bound (whole numbers, 11-50 then 51-200) the next band starts one above it;
    with an exclusive one (1M-10M then 10M-50M) at it.
-#}
{% test bands_are_contiguous(model, lower_bound, upper_bound, inclusive_upper_bound=true) %}

    with

    bands as (

        select
            {{ lower_bound }} as lower_bound,
            {{ upper_bound }} as upper_bound,
            lag({{ upper_bound }}) over (order by {{ lower_bound }}) as previous_upper_bound
        from {{ model }}

    )

    select *
    from bands
    where
        lower_bound {{ '>' if inclusive_upper_bound else '>=' }} upper_bound
        or lower_bound <> previous_upper_bound + {{ 1 if inclusive_upper_bound else 0 }}

{% endtest %}
