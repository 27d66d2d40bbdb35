-- One row per event: the first delivery of each event_id. Later deliveries of the same id are
-- reported in rejected_rows as duplicate_delivery; deliveries without an id are not events.

with

event_deliveries as (

    select * from {{ ref('stg_marketing__events') }}

),

final as (

    select
        event_id,
        lead_id,
        email,
        event_type,
        occurred_at,
        cast(occurred_at as date) as event_date,
        page_url,
        campaign_id
    from event_deliveries
    where
        delivery_number = 1
        and event_id is not null

)

select * from final
