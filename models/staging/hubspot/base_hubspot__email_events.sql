-- HubSpot's email_event table: what happened to a marketing email (OPEN, CLICK, BOUNCE,
-- DELIVERED, ...) by the recipient's address, renamed. Which types are engagement events:
-- base_hubspot__activities, through seeds/mappings/source_event_types.csv.
{%- set email_event = source_columns(
    ref('source_fields'), 'hubspot', 'email_event', source('hubspot', 'email_event')
) %}

with

source as (

    select * from {{ source('hubspot', 'email_event') }}

),

renamed as (

    select
        cast({{ email_event.activity_id }} as {{ dbt.type_string() }}) as activity_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        cast({{ email_event.email }} as {{ dbt.type_string() }}) as email,
        cast({{ email_event.activity_type }} as {{ dbt.type_string() }}) as activity_type,
        cast({{ email_event.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(null as {{ dbt.type_string() }}) as page_url,
        cast({{ email_event.campaign_id }} as {{ dbt.type_string() }}) as campaign_id,
        cast({{ email_event.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
