-- One row per scoring date (int_scoring_dates_listed) with fingerprints of the raw data known on
-- it: the lead versions known by the end of the day, the event days up to it (and the
-- half-lives they decay with) and the opportunities as they stood on it. A per-date model
-- stores the fingerprint it scored a date with and scores the date again only when it differs
-- (or the seeds or SQL it reads changed: computed_with()): a past date is settled until a late
-- event dated on or before it, a new version of one of its leads or a change to one of its
-- opportunities reaches the warehouse.
--
-- Cheap by design: one pass over the event days' date, count and counted_at columns and over
-- the lead versions' ids, grouped by day before they meet the dates.

with

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

event_days as (

    select * from {{ ref('int_event_days_aggregated') }}

),

opportunities_dated as (

    select * from {{ ref('int_opportunities_dated') }}

),

engagement_rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

-- The half-lives the engagement counts are decayed with: one changed recounts every date.
half_lives as (

    select
        count(*) as rule_count,
        sum({{ hash_number(dbt.concat([
            'rule_key', "':'",
            "coalesce(cast(half_life_days as " ~ dbt.type_string() ~ "), '')",
        ])) }}) as rule_hash
    from engagement_rules

),

-- Lead versions per day they became known (a version without a timestamp is known on every
-- date, like int_lead_versions_selected places it): how many, and a sum of their ids' hashes
-- (an id carries the row's content, so a version replaced by another changes the sum).
lead_version_days as (

    select
        coalesce(cast(version_known_at as date), cast('1900-01-01' as date)) as known_date,
        count(*) as version_count,
        sum({{ hash_number('lead_row_id') }}) as version_hash
    from lead_versions
    group by coalesce(cast(version_known_at as date), cast('1900-01-01' as date))

),

-- Event days per date: how many rows, events, and when the newest of them was counted (a
-- recounted day, late events or a rule change, has a newer counted_at).
event_dates as (

    select
        event_date,
        count(*) as event_day_count,
        sum(event_count) as event_count,
        max(counted_at) as counted_at
    from event_days
    group by event_date

),

leads_known as (

    select
        scoring_dates.score_as_of,
        coalesce(sum(lead_version_days.version_count), 0) as version_count,
        coalesce(sum(lead_version_days.version_hash), 0) as version_hash
    from scoring_dates
    left join lead_version_days
        on scoring_dates.score_as_of >= lead_version_days.known_date
    group by scoring_dates.score_as_of

),

events_known as (

    select
        scoring_dates.score_as_of,
        coalesce(sum(event_dates.event_day_count), 0) as event_day_count,
        coalesce(sum(event_dates.event_count), 0) as event_count,
        max(event_dates.counted_at) as counted_at
    from scoring_dates
    left join event_dates
        on scoring_dates.score_as_of >= event_dates.event_date
    group by scoring_dates.score_as_of

),

-- Opportunities as they stood on each date: closing one after the date changes nothing here.
opportunities_known as (

    select
        scoring_dates.score_as_of,
        count(opportunities_dated.opportunity_row_id) as opportunity_count,
        coalesce(sum({{ hash_number(dbt.concat([
            'opportunities_dated.opportunity_row_id',
            "'|'",
            "coalesce(opportunities_dated.lead_id, '')",
            "'|'",
            'opportunities_dated.stage_on_date',
            "'|'",
            "coalesce(cast(opportunities_dated.created_at as " ~ dbt.type_string() ~ "), '')",
            "'|'",
            "case when opportunities_dated.stage_on_date <> 'open' then coalesce(cast("
            ~ "opportunities_dated.closed_at as " ~ dbt.type_string() ~ "), '') else '' end",
        ])) }}), 0) as opportunity_hash
    from scoring_dates
    left join opportunities_dated
        on scoring_dates.score_as_of = opportunities_dated.score_as_of
    group by scoring_dates.score_as_of

),

fingerprinted as (

    select
        scoring_dates.*,
        {{ dbt.concat([
            "'leads:'", 'cast(leads_known.version_count as ' ~ dbt.type_string() ~ ')',
            "'/'", 'cast(leads_known.version_hash as ' ~ dbt.type_string() ~ ')',
        ]) }} as leads_part,
        {{ dbt.concat([
            "'events:'", 'cast(events_known.event_day_count as ' ~ dbt.type_string() ~ ')',
            "'/'", 'cast(events_known.event_count as ' ~ dbt.type_string() ~ ')',
            "'/'", "coalesce(cast(events_known.counted_at as " ~ dbt.type_string() ~ "), '')",
            "'/half-lives:'", 'cast(half_lives.rule_count as ' ~ dbt.type_string() ~ ')',
            "'/'", "coalesce(cast(half_lives.rule_hash as " ~ dbt.type_string() ~ "), '')",
        ]) }} as events_part,
        {{ dbt.concat([
            "'opportunities:'",
            'cast(opportunities_known.opportunity_count as ' ~ dbt.type_string() ~ ')',
            "'/'", 'cast(opportunities_known.opportunity_hash as ' ~ dbt.type_string() ~ ')',
        ]) }} as opportunities_part
    from scoring_dates
    inner join leads_known
        on scoring_dates.score_as_of = leads_known.score_as_of
    inner join events_known
        on scoring_dates.score_as_of = events_known.score_as_of
    inner join opportunities_known
        on scoring_dates.score_as_of = opportunities_known.score_as_of
    cross join half_lives

),

final as (

    select
        score_as_of,
        is_current,
        is_backtest,
        is_health_check,
        known_before,
        -- What the lead-version models read: the versions known.
        {{ dbt.hash('leads_part') }} as leads_fingerprint,
        -- What the engagement counts read: versions (email owners, creation days), events and
        -- the half-lives they are decayed with.
        {{ dbt.hash(dbt.concat(['leads_part', "'|'", 'events_part'])) }} as events_fingerprint,
        -- What a score reads: all three.
        {{ dbt.hash(dbt.concat([
            'leads_part', "'|'", 'events_part', "'|'", 'opportunities_part'
        ])) }} as inputs_fingerprint
    from fingerprinted

)

select * from final
