-- Salesforce's event table (the calendar, not web events): meetings with a lead or a contact (WhoId).
-- Which of them are engagement events: base_salesforce__activities, by the subtype.
{%- set event = source_columns(
    ref('source_fields'), 'salesforce', 'event', source('salesforce', 'event')
) %}

with

source as (

    select * from {{ source('salesforce', 'event') }}

),

renamed as (

    select
        cast({{ event.activity_id }} as {{ dbt.type_string() }}) as activity_id,
        cast({{ event.who_id }} as {{ dbt.type_string() }}) as who_id,
        cast({{ event.activity_type }} as {{ dbt.type_string() }}) as activity_type,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast({{ event.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at,
        coalesce(cast({{ event.is_deleted }} as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast({{ event.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
