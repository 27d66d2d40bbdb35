{#-
    Regular expressions differ by engine. Patterns in the seeds are written in the dialect the
    three engines share (no \b, no look-around): see seeds/_seeds.yml.
-#}
{% macro regex_matches(value, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'leadscore')(value, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(value, pattern) -%}
    regexp_matches({{ value }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regex_matches(value, pattern) -%}
    ({{ value }} ~ {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(value, pattern) -%}
    ({{ value }} rlike {{ pattern }})
{%- endmacro %}


{% macro regex_replace_all(value, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'leadscore')(value, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


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


{#-
    The string without NUL characters (a CSV export or a Postgres load of the marts breaks on
    them). Postgres text cannot hold NUL, so there is nothing to strip there.
-#}
{% macro strip_nul(value) -%}
    {{ return(adapter.dispatch('strip_nul', 'leadscore')(value)) }}
{%- endmacro %}

{% macro default__strip_nul(value) -%}
    replace({{ value }}, chr(0), '')
{%- endmacro %}

{% macro postgres__strip_nul(value) -%}
    {{ value }}
{%- endmacro %}

{% macro spark__strip_nul(value) -%}
    replace({{ value }}, char(0), '')
{%- endmacro %}
