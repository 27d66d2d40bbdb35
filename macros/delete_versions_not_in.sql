{#- Pre-hook: the versions whose raw row is gone (a purge, a re-synced loader) are deleted. -#}
{% macro delete_versions_not_in(relation) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where lead_row_id not in (select kept.lead_row_id from {{ relation }} as kept)
    {%- endif -%}
{%- endmacro %}
