-- Salesforce's task table: calls and emails a rep logged against a lead or a contact (WhoId).
-- Which of them are engagement events: base_salesforce__activities, by the subtype.
{%- set task = source_columns(
    ref('source_fields'), 'salesforce', 'task', source('salesforce', 'task')
) %}

with

source as (

    select * from {{ source('salesforce', 'task') }}

),

renamed as (

    select
        cast({{ task.activity_id }} as {{ dbt.type_string() }}) as activity_id,
        cast({{ task.who_id }} as {{ dbt.type_string() }}) as who_id,
        cast({{ task.activity_type }} as {{ dbt.type_string() }}) as activity_type,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast({{ task.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at,
        coalesce(cast({{ task.is_deleted }} as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast({{ task.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
