{#- on-run-start: say first which date this run scores as of, and why. -#}
{% macro announce_scoring_date() -%}
    {%- if execute -%}
        {%- set value, origin = leadscore.score_as_of_and_source() -%}
        {%- do log('Scoring as of ' ~ value ~ ' (' ~ origin ~ ')', info=True) -%}
    {%- endif -%}
{%- endmacro %}
