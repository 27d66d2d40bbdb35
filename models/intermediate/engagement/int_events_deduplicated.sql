-- One row per event: the first delivery of each event_id. Later deliveries of the same id are
-- reported in rejected_rows as duplicate_delivery; deliveries without an id are not events.
--
-- Incremental without a cutoff date on occurrence. Which raw rows are new, two ways:
-- - with a load time (var raw_loaded_at names the loader's column, say _fivetran_synced, or
--   the events are Segment's: events_have_load_time()): the run re-reads the event ids with a
--   delivery loaded after the newest load time it stored (loaded_until), or with no load time
--   at all;
-- - without (the fallback): the run compares how many raw deliveries each day of occurrence
--   holds with the count it saw last time (delivery_day_count) and re-reads every event
--   delivered on a day whose count moved. Rows removed from the raw table (a day with fewer
--   deliveries than stored) empty the table first (pre-hook): that run reads everything again.
-- Either way events loaded late, after a gap in the schedule, or delivered again are picked up
-- whatever the scoring date, and the rows re-read replace the stored ones by event_id, so the
-- result equals a --full-refresh build.
{%- set loaded_at = events_have_load_time() -%}
{{ config(
    unique_key='event_id',
    pre_hook="{{ empty_events_if_raw_rows_removed(ref('stg_marketing__events')) }}"
) }}

with

event_deliveries as {{ not_materialized() }} (

    select
        event_id,
        lead_id,
        email,
        event_type,
        occurred_at,
        page_url,
        campaign_id,
        loaded_at,
        -- Deliveries without a timestamp are counted on a day of their own.
        coalesce(cast(occurred_at as date), cast('1900-01-01' as date)) as delivery_day
    from {{ ref('stg_marketing__events') }}
    where event_id is not null

),

-- The census: raw deliveries per day of occurrence (none with a load time: then nothing here
-- is read, the constant filter empties it).
delivery_days as (

    select census.*
    from ({{ event_delivery_days_sql(ref('stg_marketing__events')) }}) as census
    where {{ 'false' if loaded_at else 'true' }}

),

stored_days as (

    select * from {{ stored_delivery_days('delivery_days') }} as stored_rows

),

-- Days whose delivery count moved (or that were stored without one: written with a load time).
changed_days as (

    select delivery_days.delivery_day
    from delivery_days
    left join stored_days
        on delivery_days.delivery_day = stored_days.delivery_day
    where
        stored_days.delivery_day is null
        or stored_days.delivery_day_count is null
        or stored_days.delivery_day_count <> delivery_days.delivery_day_count

),

-- The newest load time this table holds (none on a first run, or when it was last written
-- without a load time: every id is read then).
stored_loads as (

    select * from {{ stored_loaded_until('event_deliveries') }} as stored_rows

),

-- (Read on incremental runs only.) The ids delivered on a changed day, and with a load time
-- the ids with a delivery loaded after the newest load stored, or without a load time.
changed_events as (  -- noqa: ST03

    select event_deliveries.event_id
    from event_deliveries
    inner join changed_days
        on event_deliveries.delivery_day = changed_days.delivery_day

    union

    select event_deliveries.event_id
    from event_deliveries
    where
        {{ 'true' if loaded_at else 'false' }}
        and (
            event_deliveries.loaded_at is null
            or event_deliveries.loaded_at > (
                select
                    coalesce(
                        max(stored_loads.loaded_until),
                        cast('1900-01-01' as {{ dbt.type_timestamp() }})
                    )
                from stored_loads
            )
        )

),


-- Where an event re-read now was stored before: if an earlier redelivery moved it to another
-- day, the event-day aggregate must recompute that day too.
stored_events as (

    select * from {{ stored_event_dates('event_deliveries') }} as stored_rows

),

-- Every delivery of the event ids read this run, numbered as stg_marketing__events numbers
-- them (the same order, over whole event_id partitions, so the same first delivery): numbering
-- only these ids keeps an incremental run from sorting every delivery ever loaded.
numbered_deliveries as (

    select
        event_deliveries.*,
        row_number() over (
            partition by event_deliveries.event_id
            order by {{ event_delivery_order() }}
        ) as delivery_number,
        -- The newest load time among the event's deliveries (null without one): the table's
        -- maximum is the newest load read so far, in the same window as the numbering.
        max(event_deliveries.loaded_at) over (
            partition by event_deliveries.event_id
        ) as loaded_until
    from event_deliveries
    where
        {{ only_on_incremental_runs(
            'event_deliveries.event_id', 'select event_id from changed_events'
        ) }}

),

first_deliveries as (

    select numbered_deliveries.*
    from numbered_deliveries
    where numbered_deliveries.delivery_number = 1

),

final as (

    select
        first_deliveries.event_id,
        first_deliveries.lead_id,
        first_deliveries.email,
        first_deliveries.event_type,
        first_deliveries.occurred_at,
        cast(first_deliveries.occurred_at as date) as event_date,
        first_deliveries.page_url,
        first_deliveries.campaign_id,
        first_deliveries.delivery_day,
        delivery_days.delivery_day_count,
        first_deliveries.loaded_until,
        case
            when stored_events.event_date <> cast(first_deliveries.occurred_at as date)
                then stored_events.event_date
        end as previous_event_date,
        -- The lead reference and type an event re-read now was stored under, when the event
        -- changed (reference, type or day): int_engagement_sums_rebased recomputes that
        -- reference's sums, which the event has left.
        {%- set changed -%}
            stored_events.event_id is not null
            and not (
                coalesce(stored_events.event_date, cast('1900-01-01' as date))
                = coalesce(cast(first_deliveries.occurred_at as date), cast('1900-01-01' as date))
                and coalesce(stored_events.event_type, '~') = coalesce(first_deliveries.event_type, '~')
                and coalesce(stored_events.lead_id, '~') = coalesce(first_deliveries.lead_id, '~')
                and (
                    stored_events.lead_id is not null
                    or coalesce(stored_events.email, '~') = coalesce(first_deliveries.email, '~')
                )
            )
        {%- endset %}
        case
            when {{ changed }} and stored_events.lead_id is not null then 'lead_id'
            when {{ changed }} and stored_events.email is not null then 'email'
        end as previous_lead_ref_type,
        case when {{ changed }} then coalesce(stored_events.lead_id, stored_events.email) end
            as previous_lead_ref,
        case when {{ changed }} then stored_events.event_type end as previous_event_type,
        {{ run_started_timestamp() }}
            as processed_at
    from first_deliveries
    left join delivery_days
        on first_deliveries.delivery_day = delivery_days.delivery_day
    left join stored_events
        on first_deliveries.event_id = stored_events.event_id

)

select * from final
