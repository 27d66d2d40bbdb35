-- HubSpot's contact_form_submission table: a contact's form submissions, renamed. Its activity
-- type is FORM_SUBMISSION, the value seeds/mappings/source_event_types.csv maps to an event type.
{%- set submission = source_columns(
    ref('source_fields'), 'hubspot', 'contact_form_submission',
    source('hubspot', 'contact_form_submission')
) %}

with

source as (

    select * from {{ source('hubspot', 'contact_form_submission') }}

),

renamed as (

    select
        cast({{ submission.activity_id }} as {{ dbt.type_string() }}) as activity_id,
        cast({{ submission.contact_id }} as {{ dbt.type_string() }}) as contact_id,
        cast(null as {{ dbt.type_string() }}) as email,
        'FORM_SUBMISSION' as activity_type,
        cast({{ submission.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at,
        cast({{ submission.page_url }} as {{ dbt.type_string() }}) as page_url,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast({{ submission.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
