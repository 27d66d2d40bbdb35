{#-
    A comparable key for free text: lower-case, every run of characters other than letters and
    digits (of any script), & and + becomes one space, trimmed. ' Computer  Software ' ->
    'computer software', 'РОССИЯ' -> 'россия'. Lookups apply it to both the raw value and the
    seed's value, so a seed may be written in any case, spacing or script.
-#}
{% macro normalise_text(column) -%}
    nullif(trim({{ regex_replace_all(
        "lower(" ~ strip_nul(column) ~ ")", "'[^" ~ word_characters() ~ "&+]+'", "' '"
    ) }}), '')
{%- endmacro %}
