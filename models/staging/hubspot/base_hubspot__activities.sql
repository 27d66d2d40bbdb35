-- HubSpot's form submissions and marketing email events as engagement events, in the raw
-- contract's marketing_events columns (docs/RAW_CONTRACT.md) plus loaded_at: the rows whose
-- type seeds/mappings/source_event_types.csv lists (an email DELIVERED or SENT is not an event).
-- A form submission names its contact, the lead; an email event names the recipient's address,
-- which the event deduplication downstream resolves to the lead holding it, as it does for a
-- raw event that carries only an email.

with

form_submissions as (

    select * from {{ ref('base_hubspot__form_submissions') }}

),

email_events as (

    select * from {{ ref('base_hubspot__email_events') }}

),

source_event_types as (

    select * from {{ ref('source_event_types') }}
    where system = 'hubspot'

),

activities as (

    select
        'contact_form_submission' as source_table,
        *
    from form_submissions
    union all
    select
        'email_event' as source_table,
        *
    from email_events

),

final as (

    select
        {{ dbt.concat(['activities.source_table', "':'", 'activities.activity_id']) }} as event_id,
        activities.contact_id as lead_id,
        activities.email,
        source_event_types.event_type,
        activities.occurred_at,
        activities.page_url,
        activities.campaign_id,
        activities.loaded_at
    from activities
    inner join source_event_types
        on
            activities.source_table = source_event_types.source_table
            and lower(activities.activity_type) = lower(source_event_types.source_value)

)

select * from final
