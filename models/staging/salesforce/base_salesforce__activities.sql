-- Salesforce's activities as engagement events, in the raw contract's marketing_events columns
-- (docs/RAW_CONTRACT.md) plus loaded_at: campaign members, tasks and calendar events whose
-- status or subtype seeds/mappings/source_event_types.csv lists (the others are not events).
-- An activity on a lead is that lead's; one on a contact is the lead's converted into that
-- contact, so a converted lead's activities before and after conversion add up on one lead. An
-- activity on a contact no lead was converted into names no lead: rejected_rows lists it
-- (missing_lead_reference). Rows in the recycle bin are not read.

with

campaign_members as (

    select * from {{ ref('base_salesforce__campaign_members') }}

),

tasks as (

    select * from {{ ref('base_salesforce__tasks') }}

),

calendar_events as (

    select * from {{ ref('base_salesforce__events') }}

),

leads as (

    select * from {{ ref('base_salesforce__leads') }}

),

converted_contacts as (

    select * from {{ ref('base_salesforce__converted_contacts') }}

),

source_event_types as (

    select * from {{ ref('source_event_types') }}
    where system = 'salesforce'

),

activities as (

    select
        'campaign_member' as source_table,
        *
    from campaign_members
    union all
    select
        'task' as source_table,
        *
    from tasks
    union all
    select
        'event' as source_table,
        *
    from calendar_events

),

lead_ids as (

    select distinct lead_id
    from leads
    where lead_id is not null

),


final as (

    select
        -- A campaign member's status is part of the event: a new status is a new event.
        {{ dbt.concat([
            'activities.source_table', "':'", 'activities.activity_id',
            "case when activities.source_table = 'campaign_member' then"
            ~ " ':' || coalesce(lower(activities.activity_type), '') else '' end"
        ]) }} as event_id,
        coalesce(lead_ids.lead_id, converted_contacts.lead_id) as lead_id,
        cast(null as {{ dbt.type_string() }}) as email,
        source_event_types.event_type,
        activities.occurred_at,
        cast(null as {{ dbt.type_string() }}) as page_url,
        activities.campaign_id,
        activities.loaded_at
    from activities
    inner join source_event_types
        on
            activities.source_table = source_event_types.source_table
            and lower(activities.activity_type) = lower(source_event_types.source_value)
    left join lead_ids
        on activities.who_id = lead_ids.lead_id
    left join converted_contacts
        on activities.who_id = converted_contacts.contact_id
    where not activities.is_deleted

)

select * from final
