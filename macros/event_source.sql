{#-
    Var event_source, checked: where the web events come from (contract: the raw contract's
    marketing_events; segment: Segment's or RudderStack's tracks, pages and identifies, read by
    models/staging/segment/). Any other value stops the parse with one line.
-#}
{% macro event_source() -%}
    {{ return(choice_var('event_source', ['contract', 'segment'])) }}
{%- endmacro %}
