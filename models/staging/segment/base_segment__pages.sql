-- Segment's pages: one row per page call, as delivered; name is the page's name (Pricing) where the site gives one.
{%- set pages = source_columns(ref('source_fields'), 'segment', 'pages', source('segment', 'pages')) %}

with

source as (

    select * from {{ source('segment', 'pages') }}

),

renamed as (

    select
        cast({{ pages.event_id }} as {{ dbt.type_string() }}) as event_id,
        cast({{ pages.anonymous_id }} as {{ dbt.type_string() }}) as anonymous_id,
        cast({{ pages.user_id }} as {{ dbt.type_string() }}) as user_id,
        cast({{ pages.event_name }} as {{ dbt.type_string() }}) as event_name,
        cast({{ pages.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at,
        cast({{ pages.page_url }} as {{ dbt.type_string() }}) as page_url,
        cast({{ pages.campaign_id }} as {{ dbt.type_string() }}) as campaign_id,
        cast({{ pages.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
