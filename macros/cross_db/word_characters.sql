{#-
    The body of a regex character class matching a letter or digit of any script (with the
    combining marks some scripts write words with), so that 'Deutschland', 'Türkiye', '日本' and
    'Россия' keep their letters. Spark reads backslashes in literals as escapes: doubled there.
-#}
{% macro word_characters() -%}
    {{ return(adapter.dispatch('word_characters', 'leadscore')()) }}
{%- endmacro %}

{% macro default__word_characters() -%}
    \p{L}\p{M}\p{N}
{%- endmacro %}

{#-
    Postgres's [:alnum:] knows only ASCII in a database with the C locale: there every character
    outside ASCII counts as part of a word (so no letter is ever dropped), and only ASCII
    punctuation and spaces separate words. Case folding of non-Latin letters (lower()) needs a
    database whose LC_CTYPE is not C.
-#}
{% macro postgres__word_characters() -%}
    a-z0-9\u0080-\uffff
{%- endmacro %}

{% macro spark__word_characters() -%}
    \\p{L}\\p{M}\\p{N}
{%- endmacro %}
