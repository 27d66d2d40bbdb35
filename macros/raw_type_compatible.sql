{#- Whether a column of type found can be read as the contract's type expected. -#}
{% macro raw_type_compatible(expected, found) -%}
    {%- set families = {
        'varchar': ['char', 'text', 'string'],
        'integer': ['int'],
        'decimal': ['decimal', 'numeric', 'double', 'float', 'real', 'int'],
        'boolean': ['bool'],
        'timestamp': ['timestamp', 'date'],
    } -%}
    {%- set family = expected.split('(')[0] | trim -%}
    {%- for marker in families.get(family, [family]) -%}
        {%- if marker in found -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}
