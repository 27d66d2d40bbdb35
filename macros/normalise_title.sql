{#-
    A title as a padded list of words: 'VP, Marketing' -> ' vp marketing '. Seed patterns match
    whole words by including the spaces, the one word-boundary syntax every engine reads alike.
-#}
{% macro normalise_title(column) -%}
    case
        when nullif(trim({{ column }}), '') is not null
            then {{ dbt.concat([
                "' '",
                "trim(" ~ regex_replace_all(
                    "lower(" ~ strip_nul(column) ~ ")", "'[^" ~ word_characters() ~ "]+'", "' '"
                ) ~ ")",
                "' '"
            ]) }}
    end
{%- endmacro %}
