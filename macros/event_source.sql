{#-
    Var event_source, checked: where the web events come from (contract: the raw contract's
    marketing_events; segment: Segment's or RudderStack's tracks, pages and identifies, read by
    models/staging/segment/). Any other value stops the parse with one line.
-#}
{% macro event_source() -%}
    {%- set sources = ['contract', 'segment'] -%}
    {%- set source = var('event_source', 'contract') -%}
    {%- if source not in sources -%}
        {{ exceptions.raise_compiler_error(
            "var event_source must be one of " ~ sources | join(', ') ~ ", got '" ~ source
            ~ "': set it in dbt_project.yml or --vars '{event_source: segment}'"
        ) }}
    {%- endif -%}
    {{ return(source) }}
{%- endmacro %}
