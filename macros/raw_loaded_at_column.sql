{#-
    The load-time column var raw_loaded_at names for a raw table (the loader's own: Fivetran
    _fivetran_synced, Airbyte _airbyte_extracted_at, Stitch _sdc_batched_at, dlt's
    _dlt_load_id resolved to a time), or none: the census fallback (docs/RAW_CONTRACT.md).
-#}
{% macro raw_loaded_at_column(table) -%}
    {%- set columns = var('raw_loaded_at', {}) or {} -%}
    {%- if columns is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var raw_loaded_at must map a raw table to its load-time column, e.g."
            ~ " {marketing_events: _fivetran_synced}; got '" ~ columns ~ "'"
        ) }}
    {%- endif -%}
    {{ return(columns.get(table)) }}
{%- endmacro %}
