-- Salesforce's campaign_member table: a lead or a contact in a campaign, with its status
-- (Sent, Registered, Attended, Responded, ... as the campaign defines them). A current-state
-- table holds each member's latest status only. Which statuses are engagement events:
-- base_salesforce__activities.
{%- set member = source_columns(
    ref('source_fields'), 'salesforce', 'campaign_member', source('salesforce', 'campaign_member')
) %}

with

source as (

    select * from {{ source('salesforce', 'campaign_member') }}

),

renamed as (

    select
        cast({{ member.activity_id }} as {{ dbt.type_string() }}) as activity_id,
        -- The lead, else the contact (a member is one or the other).
        cast(coalesce({{ member.lead_id }}, {{ member.contact_id }}) as {{ dbt.type_string() }})
            as who_id,
        cast({{ member.activity_type }} as {{ dbt.type_string() }}) as activity_type,
        cast({{ member.campaign_id }} as {{ dbt.type_string() }}) as campaign_id,
        cast({{ member.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at,
        coalesce(cast({{ member.is_deleted }} as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast({{ member.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
