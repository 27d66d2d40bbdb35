{#-
    Pre-hook of int_engagement_sums_rebased: rebuilding a scoring date earlier than the one the
    sums were taken to empties the table (events after the date must come out), and the model,
    finding nothing stored, sums every reference again. Plain SQL: the warehouse decides.
-#}
{% macro empty_engagement_sums_if_rebuilt_earlier() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where (select max(stored.sums_through) from {{ this }} as stored)
            > cast('{{ leadscore.score_as_of_value() }}' as date)
    {%- endif -%}
{%- endmacro %}
