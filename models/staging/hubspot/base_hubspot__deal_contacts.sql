-- HubSpot's deal_contact table: the contacts associated with each deal, renamed.
{%- set deal_contact = source_columns(
    ref('source_fields'), 'hubspot', 'deal_contact', source('hubspot', 'deal_contact')
) %}

with

source as (

    select * from {{ source('hubspot', 'deal_contact') }}

),

renamed as (

    select
        cast({{ deal_contact.opportunity_id }} as {{ dbt.type_string() }}) as opportunity_id,
        cast({{ deal_contact.contact_id }} as {{ dbt.type_string() }}) as contact_id
    from source

)

select * from renamed
