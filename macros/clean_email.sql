{#- Lower-cased, trimmed email, or null when it is not shaped like local@domain.tld. -#}
{% macro clean_email(column) -%}
    case
        when {{ regex_matches("trim(lower(" ~ column ~ "))", "'^[^@ ]+@[^@ ]+[.][a-z]{2,}$'") }}
            then trim(lower({{ column }}))
    end
{%- endmacro %}
