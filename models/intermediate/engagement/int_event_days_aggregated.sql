-- One row per lead reference, event type and day: how many events, and the last one. A lead
-- reference is the event's lead_id, or its email for events the marketing tool knows only by
-- email; which lead an email belongs to depends on the scoring date and is resolved later. Decay
-- works in whole days, so this daily grain loses nothing the scores use.
--
-- Incremental: a run recomputes the whole days from the incremental cutoff on (see
-- int_events_deduplicated) and replaces them; earlier days are untouched.
{#- Spark here is a local session without Delta: no delete+insert, so it rebuilds. -#}
{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    unique_key=['lead_ref_type', 'lead_ref', 'event_type', 'event_date'],
    incremental_strategy='delete+insert'
) }}

with

events as (

    select * from {{ ref('int_events_deduplicated') }}

),

referenced as (

    select
        case when lead_id is not null then 'lead_id' else 'email' end as lead_ref_type,
        coalesce(lead_id, email) as lead_ref,
        event_type,
        event_date,
        occurred_at
    from events
    where
        coalesce(lead_id, email) is not null
        and event_type is not null
        and occurred_at is not null
        and {{ since_incremental_cutoff('occurred_at') }}

),

final as (

    select
        lead_ref_type,
        lead_ref,
        event_type,
        event_date,
        count(*) as event_count,
        max(occurred_at) as last_occurred_at
    from referenced
    group by lead_ref_type, lead_ref, event_type, event_date

)

select * from final
