{#-
    The share of its points an event keeps after `days` days: 0.5 ^ (days / half_life_days), the
    one decay rule of the engagement points, the sums and the since-loss engagement.
    Past 1,000 half-lives (below 2 ^ -1000) it is 0: Postgres raises "value out of range:
    underflow" rather than round such a power to zero. Null without a half-life.
-#}
{% macro half_life_decay(days, half_life_days) -%}
    case
        when cast({{ days }} as {{ type_double() }}) / {{ half_life_days }} > 1000
            then cast(0 as {{ type_double() }})
        else power(
            cast(0.5 as {{ type_double() }}),
            cast({{ days }} as {{ type_double() }}) / {{ half_life_days }}
        )
    end
{%- endmacro %}
