-- One row per lead reference, event type and day: how many events, and the last one. A lead
-- reference is the event's lead_id, or its email for events the marketing tool knows only by
-- email; which lead an email belongs to depends on the scoring date and is resolved later. Decay
-- works in whole days, so this daily grain loses nothing the scores use.
--
-- Incremental: the run recomputes every day that holds an event int_events_deduplicated
-- processed after the newest one counted here (processed_at), and the day such an event was
-- stored on before; the days are replaced whole (delete+insert by event_date). What was
-- already processed, not the scoring date, decides what is read again. A day that no longer
-- holds any event (rows removed from the raw table) is deleted by the pre-hook.
{#- Spark here is a local session without Delta: no delete+insert, so it rebuilds. -#}
{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    unique_key='event_date',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_event_days_without_events() }}"
) }}

with

events as (

    select * from {{ ref('int_events_deduplicated') }}

),

changed_events as (

    select
        event_date,
        previous_event_date
    from events
    where processed_at > {{ counted_until() }}

),

-- (Read on incremental runs only.)
changed_days as (  -- noqa: ST03

    select event_date from changed_events
    union
    select previous_event_date from changed_events

),

referenced as (

    select
        case when events.lead_id is not null then 'lead_id' else 'email' end as lead_ref_type,
        coalesce(events.lead_id, events.email) as lead_ref,
        events.event_type,
        events.event_date,
        events.occurred_at,
        events.processed_at
    from events
    where
        {{ only_on_incremental_runs('events.event_date', 'select event_date from changed_days') }}
        and coalesce(events.lead_id, events.email) is not null
        and events.event_type is not null
        and events.occurred_at is not null

),

final as (

    select
        lead_ref_type,
        lead_ref,
        event_type,
        event_date,
        count(*) as event_count,
        max(occurred_at) as last_occurred_at,
        max(processed_at) as processed_at,
        -- When this run counted the day: int_engagement_sums_rebased recomputes the lead
        -- references of days counted after its own last run.
        {{ run_started_timestamp() }} as counted_at
    from referenced
    group by lead_ref_type, lead_ref, event_type, event_date

)

select * from final
