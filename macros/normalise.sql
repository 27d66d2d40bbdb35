{#- Text clean-up shared by the staging models, so each rule is written once. -#}

{#-
    A string column trimmed, without NUL characters, and null when nothing is left: every text
    column of the raw tables goes through it in staging.
-#}
{% macro clean_text(column) -%}
    nullif(trim({{ strip_nul(column) }}), '')
{%- endmacro %}

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

{#- 'https://WWW.Acme.com/path' -> 'acme.com'. -#}
{% macro clean_domain(column) -%}
    nullif(
        {{ regex_replace_all(
            regex_replace_all("trim(lower(" ~ column ~ "))", "'^[a-z]+://'", "''"),
            "'^www[.]|[/?#:].*$'",
            "''"
        ) }},
        ''
    )
{%- endmacro %}

{#- Lower-cased, trimmed email, or null when it is not shaped like local@domain.tld. -#}
{% macro clean_email(column) -%}
    case
        when {{ regex_matches("trim(lower(" ~ column ~ "))", "'^[^@ ]+@[^@ ]+[.][a-z]{2,}$'") }}
            then trim(lower({{ column }}))
    end
{%- endmacro %}
