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
-- which events the attribute rules match (rules_fingerprint) recounts every day. Each of those
-- is a CTE, empty when nothing of its kind happened: the query is the same on every run.
{{ config(
    unique_key='event_date',
    pre_hook="{{ delete_event_days_without_events(ref('int_events_deduplicated')) }}"
) }}

with

events as (

    select * from {{ ref('int_events_deduplicated') }}

),

attribute_rules as (

    select * from {{ ref('int_engagement_rules_listed') }}
    where rule_id is not null

),

-- What this table holds (nothing on a first run or --full-refresh).
counted as (

    {{ stored_event_days('events') }}

),

-- Which events the attribute rules match: their number and a sum of hashes of each one's type,
-- URL pattern, campaign and match order (not points, caps or labels, read when scoring).
rules_fingerprint as (

    select
        {{ dbt.concat([
            'cast(count(*) as ' ~ dbt.type_string() ~ ')',
            "'/'",
            "coalesce(cast(sum(" ~ hash_number(dbt.concat([
                'rule_key', "'|'", 'event_type', "'|'", "coalesce(page_url_pattern, '')", "'|'",
                "coalesce(campaign_id, '')", "'|'", 'cast(match_order as ' ~ dbt.type_string() ~ ')',
            ])) ~ ") as " ~ dbt.type_string() ~ "), '')",
        ]) }} as rules_fingerprint
    from attribute_rules

),

-- The newest processed_at counted here (the start of time when nothing is), and how many rows
-- were counted with other attribute rules (all are recounted then).
counted_marks as (

    select
        coalesce(
            max(counted.processed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})
        ) as counted_until,
        sum(
            case
                when
                    counted.rules_fingerprint is null
                    or counted.rules_fingerprint <> rules_fingerprint.rules_fingerprint
                    then 1
                else 0
            end
        ) as recounted_rows
    from counted
    cross join rules_fingerprint

),

changed_events as (

    select
        events.event_date,
        events.previous_event_date
    from events
    cross join counted_marks
    where events.processed_at > counted_marks.counted_until

),

-- The days to count: those holding an event processed since the last run and the days such
-- events were stored on before; every day when the attribute rules match other events.
changed_days as (

    select event_date from changed_events
    union
    select previous_event_date from changed_events
    union
    select events.event_date
    from events
    cross join counted_marks
    where counted_marks.recounted_rows > 0

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
    inner join changed_days
        on events.event_date = changed_days.event_date
    where
        coalesce(events.lead_id, events.email) is not null
        and events.event_type is not null
        and events.occurred_at is not null

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
        ruled.lead_ref_type,
        ruled.lead_ref,
        ruled.event_type,
        ruled.rule_key,
        ruled.event_date,
        count(*) as event_count,
        max(ruled.occurred_at) as last_occurred_at,
        max(ruled.processed_at) as processed_at,
        -- When this run counted the day: int_engagement_sums_rebased recomputes the lead
        -- references of days counted after its own last run.
        {{ run_started_timestamp() }} as counted_at,
        max(rules_fingerprint.rules_fingerprint) as rules_fingerprint
    from ruled
    cross join rules_fingerprint
    group by ruled.lead_ref_type, ruled.lead_ref, ruled.event_type, ruled.rule_key, ruled.event_date

)

select * from final
