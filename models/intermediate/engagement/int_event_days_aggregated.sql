-- One row per lead reference, event type, engagement rule and day: how many events, and the
-- last one. Each event takes the first attribute rule of its type that matches its page URL
-- and campaign (int_engagement_rules_listed's match_order), else its type's weight (rule_key
-- 'type:<event_type>'). A lead
-- reference is the event's lead_id, or its email for events the marketing tool knows only by
-- email; which lead an email belongs to depends on the scoring date and is resolved later. Decay
-- works in whole days, so this daily grain loses nothing the scores use.
--
-- Incremental: the run recomputes every day that holds an event int_events_deduplicated
-- processed after the newest one counted here (processed_at), and the day such an event was
-- stored on before; the days are replaced whole (delete+insert by event_date). What was
-- already processed, not the scoring date, decides what is read again. A day that no longer
-- holds any event (rows removed from the raw table) is deleted by the pre-hook. A change of
-- which events the attribute rules match (rules_fingerprint) recounts every day.
{{ config(
    unique_key='event_date',
    pre_hook="{{ delete_event_days_without_events() }}"
) }}

{%- set rules_fingerprint = leadscore.engagement_rules_fingerprint() %}
{%- set recount_all = leadscore.engagement_rules_changed(rules_fingerprint) %}

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
        events.page_url,
        events.campaign_id,
        events.event_date,
        events.occurred_at,
        events.processed_at
    from events
    where
        {{ 'true' if recount_all else only_on_incremental_runs(
            'events.event_date', 'select event_date from changed_days'
        ) }}
        and coalesce(events.lead_id, events.email) is not null
        and events.event_type is not null
        and events.occurred_at is not null

),

attribute_rules as (

    select * from {{ ref('int_engagement_rules_listed') }}
    where rule_id is not null

),

ruled_types as (

    select distinct event_type from attribute_rules

),

-- The places (type, page URL, campaign) events were at, each once: rules are matched against
-- these, not against every event (a regular expression read from a column is compiled per row).
-- (A join, not `in (subquery)`: Spark 4 failed to deserialize the subquery's plan in a task,
-- "cannot assign ... DefaultSerializationProxy to field UnionExec.children", now and then.)
places as (

    select distinct
        referenced.event_type,
        coalesce(referenced.page_url, '') as page_url_key,
        coalesce(referenced.campaign_id, '') as campaign_key
    from referenced
    inner join ruled_types
        on referenced.event_type = ruled_types.event_type

),

-- The first attribute rule each place matches (match_order).
place_rules as (

    select
        places.event_type,
        places.page_url_key,
        places.campaign_key,
        attribute_rules.rule_key,
        row_number() over (
            partition by places.event_type, places.page_url_key, places.campaign_key
            order by attribute_rules.match_order
        ) as match_rank
    from places
    inner join attribute_rules
        on
            places.event_type = attribute_rules.event_type
            and (
                attribute_rules.page_url_pattern is null
                or (
                    places.page_url_key <> ''
                    and {{ regex_matches(
                        'lower(places.page_url_key)', 'attribute_rules.page_url_pattern'
                    ) }}
                )
            )
            and (
                attribute_rules.campaign_id is null
                or lower(places.campaign_key) = attribute_rules.campaign_id
            )

),

ruled as (

    select
        referenced.*,
        coalesce(
            place_rules.rule_key,
            {{ dbt.concat(["'type:'", 'referenced.event_type']) }}
        ) as rule_key
    from referenced
    left join place_rules
        on
            referenced.event_type = place_rules.event_type
            and coalesce(referenced.page_url, '') = place_rules.page_url_key
            and coalesce(referenced.campaign_id, '') = place_rules.campaign_key
            and place_rules.match_rank = 1

),

final as (

    select
        lead_ref_type,
        lead_ref,
        event_type,
        rule_key,
        event_date,
        count(*) as event_count,
        max(occurred_at) as last_occurred_at,
        max(processed_at) as processed_at,
        -- When this run counted the day: int_engagement_sums_rebased recomputes the lead
        -- references of days counted after its own last run.
        {{ run_started_timestamp() }} as counted_at,
        {{ rules_fingerprint }} as rules_fingerprint
    from ruled
    group by lead_ref_type, lead_ref, event_type, rule_key, event_date

)

select * from final
