-- Every raw event delivery is either used for a score (counted in int_engagement_points_decayed,
-- from the running sums of int_engagement_sums_rebased) or listed in rejected_rows (from the
-- event days resolved one by one), on the current scoring date: the two paths reconcile.
{{ config(meta={'remedy': 'Raw event deliveries are neither used nor in rejected_rows.'
    ~ ' Rebuild the event models from the raw table with'
    ~ ' `dbt build --full-refresh -s int_events_deduplicated+` (the score log is kept),'
    ~ ' and report it as a bug with the loads that preceded it.'}) }}

with

scoring_date as (

    select * from {{ ref('int_scoring_dates_listed') }}
    where is_current

),

used as (

    select coalesce(sum(event_days.event_count), 0) as used_event_count
    from {{ ref('int_engagement_points_decayed') }} as event_days
    inner join scoring_date
        on event_days.score_as_of = scoring_date.score_as_of

),

rejected as (

    select count(*) as rejected_event_count
    from {{ ref('rejected_rows') }}
    where source_table = 'marketing_events'

),

raw_events as (

    select count(*) as raw_event_count
    from (
        {% if event_source() == 'segment' %}
            -- Segment's track and page calls (the adapter's rows).
            select event_id from {{ ref('base_segment__events') }}
        {% else %}
            select event_id from {{ source('marketing', 'marketing_events') }}
        {% endif %}
        {% if source_system() == 'salesforce' %}
            -- The CRM's activities that are events (the adapter's rows).
            union all
            select event_id from {{ ref('base_salesforce__activities') }}
        {% elif source_system() == 'hubspot' %}
            union all
            select event_id from {{ ref('base_hubspot__activities') }}
        {% endif %}
    ) as deliveries

)

select
    raw_events.raw_event_count - used.used_event_count - rejected.rejected_event_count
        as unaccounted_event_count,
    raw_events.raw_event_count,
    used.used_event_count,
    rejected.rejected_event_count
from raw_events
cross join used
cross join rejected
where raw_events.raw_event_count <> used.used_event_count + rejected.rejected_event_count
