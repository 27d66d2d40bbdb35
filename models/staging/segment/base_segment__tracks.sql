-- Segment's tracks: one row per track call (a named event such as Demo Requested), as delivered.
{%- set tracks = source_columns(ref('source_fields'), 'segment', 'tracks', source('segment', 'tracks')) %}

with

source as (

    select * from {{ source('segment', 'tracks') }}

),

renamed as (

    select
        cast({{ tracks.event_id }} as {{ dbt.type_string() }}) as event_id,
        cast({{ tracks.anonymous_id }} as {{ dbt.type_string() }}) as anonymous_id,
        cast({{ tracks.user_id }} as {{ dbt.type_string() }}) as user_id,
        cast({{ tracks.event_name }} as {{ dbt.type_string() }}) as event_name,
        cast({{ tracks.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at,
        cast({{ tracks.page_url }} as {{ dbt.type_string() }}) as page_url,
        cast({{ tracks.campaign_id }} as {{ dbt.type_string() }}) as campaign_id,
        cast({{ tracks.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
