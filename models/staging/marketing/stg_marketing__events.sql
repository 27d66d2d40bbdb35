-- One row per raw event delivery. Deliveries of one event_id are numbered (first = 1) so that
-- the deduplication downstream and rejected_rows agree on which copy is the duplicate.

with

-- The web events: the raw contract's, or Segment's with var event_source: segment
-- (base_segment__events); with var source_system: salesforce or hubspot the CRM's activities
-- beside them (base_salesforce__activities: campaign responses, calls, meetings;
-- base_hubspot__activities: form submissions, marketing email opens, clicks and bounces).
source as (

    {% if event_source() == 'segment' %}
        select
            event_id,
            lead_id,
            email,
            event_type,
            occurred_at,
            page_url,
            campaign_id,
            loaded_at
        from {{ ref('base_segment__events') }}
    {% else %}
        select
            event_id,
            lead_id,
            email,
            event_type,
            occurred_at,
            page_url,
            campaign_id,
            -- When the loader landed the row: the column var raw_loaded_at names, else null.
            {{ raw_loaded_at('marketing_events') }} as loaded_at
        from {{ source('marketing', 'marketing_events') }}
    {% endif %}
    {% if source_system() == 'salesforce' %}
        union all
        select
            event_id,
            lead_id,
            email,
            event_type,
            occurred_at,
            page_url,
            campaign_id,
            loaded_at
        from {{ ref('base_salesforce__activities') }}
    {% elif source_system() == 'hubspot' %}
        union all
        select
            event_id,
            lead_id,
            email,
            event_type,
            occurred_at,
            page_url,
            campaign_id,
            loaded_at
        from {{ ref('base_hubspot__activities') }}
    {% endif %}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('lead_id') }} as lead_id,

        ---------- strings
        {{ clean_email('email') }} as email,
        {{ clean_text('lower(event_type)') }} as event_type,
        {{ clean_text('page_url') }} as page_url,
        {{ clean_text('campaign_id') }} as campaign_id,

        ---------- timestamps
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at

    from source

),

numbered as (

    select
        *,
        row_number() over (
            partition by event_id
            order by {{ event_delivery_order() }}
        ) as delivery_number
    from renamed

),

final as (

    select
        {{ dbt.concat([
            "coalesce(event_id, '(no event_id)')",
            "'#'",
            'cast(delivery_number as ' ~ dbt.type_string() ~ ')'
        ]) }} as event_delivery_id,
        *
    from numbered

)

select * from final
