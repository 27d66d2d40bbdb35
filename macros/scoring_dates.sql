{#-
    The dates a build scores leads as of: score_as_of (the marts) plus any backtest dates. Every
    scoring model carries score_as_of as a key, so one implementation serves them all.
-#}
{% macro scoring_dates_sql() -%}
    select
        {{ score_as_of() }} as score_as_of,
        true as is_current
{%- endmacro %}
