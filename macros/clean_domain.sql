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
