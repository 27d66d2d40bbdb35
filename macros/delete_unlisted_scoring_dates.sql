{#-
    Post-hook of the per-date models: dates no longer listed in scoring_dates (the model's
    ref('int_scoring_inputs_fingerprinted'): last month's backtest date, a health month that
    left the window, a calibration date no longer asked for) are deleted.
-#}
{% macro delete_unlisted_scoring_dates(scoring_dates) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where score_as_of not in (
            select listed.score_as_of from {{ scoring_dates }} as listed
        )
    {%- endif -%}
{%- endmacro %}
