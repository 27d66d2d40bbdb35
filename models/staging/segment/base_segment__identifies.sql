-- Segment's identifies: one row per identify call, linking a visitor's anonymous id to the
-- site's user id and to an email trait.
{%- set identifies = source_columns(
    ref('source_fields'), 'segment', 'identifies', source('segment', 'identifies')
) %}

with

source as (

    select * from {{ source('segment', 'identifies') }}

),

renamed as (

    select
        cast({{ identifies.anonymous_id }} as {{ dbt.type_string() }}) as anonymous_id,
        cast({{ identifies.user_id }} as {{ dbt.type_string() }}) as user_id,
        cast({{ identifies.email }} as {{ dbt.type_string() }}) as email,
        cast({{ identifies.occurred_at }} as {{ dbt.type_timestamp() }}) as occurred_at
    from source

)

select * from renamed
