-- One row per raw opportunity row, cleaned: from the raw contract's crm_opportunities, or from
-- the CRM adapter var source_system names (the same columns, plus is_deleted).

with

source as (

    {% if source_system() == 'salesforce' %}
        select * from {{ ref('base_salesforce__opportunities') }}
    {% elif source_system() == 'hubspot' %}
        select * from {{ ref('base_hubspot__deals') }}
    {% else %}
        select
            *,
            false as is_deleted
        from {{ source('crm', 'crm_opportunities') }}
    {% endif %}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('opportunity_id') }} as opportunity_id,
        {{ clean_text('lead_id') }} as lead_id,

        ---------- strings
        {{ normalise_text('stage') }} as opportunity_stage,

        ---------- numerics
        cast(amount_usd as decimal(18, 2)) as amount_usd,

        ---------- booleans
        coalesce({{ normalise_text('stage') }} = 'closed won', false) as is_won,
        is_deleted,

        ---------- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(closed_at as {{ dbt.type_timestamp() }}) as closed_at

    from source

),

final as (

    select
        -- opportunity_id is unique by contract; the number keeps broken rows apart all the same.
        {{ dbt.concat([
            "coalesce(opportunity_id, '(no opportunity_id)')",
            "'#'",
            'cast(row_number() over (partition by opportunity_id'
            ~ ' order by created_at nulls last, lead_id nulls last) as '
            ~ dbt.type_string() ~ ')'
        ]) }} as opportunity_row_id,
        *
    from renamed

)

select * from final
