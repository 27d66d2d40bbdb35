-- Event types in the raw data that no row of engagement_weights covers: they score nothing.
-- A warning, not an error: a marketing tool may start sending a new type any day.
{{ config(
    severity='warn',
    meta={'remedy': 'Add a row for each such event type to seeds/engagement/engagement_weights.csv'
        ~ ' (points 0 to count it for nothing) and to seeds/mappings/event_types.csv'}
) }}

select
    events.event_type,
    count(*) as event_count
from {{ ref('int_events_deduplicated') }} as events
left join {{ ref('int_engagement_rules_listed') }} as weights
    on
        events.event_type = weights.event_type
        and weights.rule_id is null
where
    weights.event_type is null
    and events.event_type is not null
group by events.event_type
