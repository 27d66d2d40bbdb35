{#-
    The project's vars, checked where they are read and all at once by the on-run-start hook, so
    that a typo fails first, in one line that names the var, what it must be and what it got.
-#}

{#- value as 'YYYY-MM-DD' if it is a real calendar date, else a one-line error naming it. -#}
{% macro checked_date(value, name) -%}
    {%- set parts = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', value) -%}
    {%- set valid = false -%}
    {%- if parts -%}
        {%- set year = parts.group(1) | int -%}
        {%- set month = parts.group(2) | int -%}
        {%- set day = parts.group(3) | int -%}
        {%- if year >= 1 and 1 <= month <= 12 and day >= 1 -%}
            {%- set first = modules.datetime.date(year, month, 1) -%}
            {%- set next_first = modules.datetime.date(
                year + (1 if month == 12 else 0), 1 if month == 12 else month + 1, 1
            ) -%}
            {%- set valid = day <= (next_first - first).days -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not valid -%}
        {{ exceptions.raise_compiler_error(
            name ~ " must be a real date written YYYY-MM-DD, got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
