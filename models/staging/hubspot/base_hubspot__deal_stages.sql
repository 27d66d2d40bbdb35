-- HubSpot's deal_pipeline_stage table: whether a stage is closed, and won, renamed.
{%- set stage = source_columns(
    ref('source_fields'), 'hubspot', 'deal_pipeline_stage', source('hubspot', 'deal_pipeline_stage')
) %}

with

source as (

    select * from {{ source('hubspot', 'deal_pipeline_stage') }}

),

renamed as (

    select
        cast({{ stage.stage_id }} as {{ dbt.type_string() }}) as stage_id,
        coalesce(cast({{ stage.is_won }} as {{ dbt.type_boolean() }}), false) as is_won,
        coalesce(cast({{ stage.is_closed }} as {{ dbt.type_boolean() }}), false) as is_closed
    from source

)

select * from renamed
