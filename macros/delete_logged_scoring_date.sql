{#-
    Pre-hook of the score log: on a rebuild of the latest logged scoring date, delete that date's
    rows so that the build writes them again from today's data. Any other date deletes nothing.
-#}
{% macro delete_logged_scoring_date() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            score_as_of = {{ score_as_of() }}
            and score_as_of >= (select max(latest.score_as_of) from {{ this }} as latest)
    {%- endif -%}
{%- endmacro %}
