-- One row per lead reference, event type and engagement rule (rule_key: the type's weight or an
-- attribute rule), up to the scoring date (score_as_of) at most: the events of that reference,
-- type and rule up to the date, and their count decayed to sums_through (each event halved
-- every half_life_days of its rule). Exponential decay only rescales a sum as it
-- ages: on a later date the count is decayed_event_count x 0.5 ^ (days since sums_through /
-- half-life), times the type's points (applied when reading, in int_engagement_points_decayed).
--
-- Incremental, so that a day of new events touches only the references that had events:
-- - the days after the date the table was taken to (its newest sums_through) up to the scoring
--   date are added to the references' stored sums, decayed on to the scoring date (a
--   reference's rows are replaced together: delete+insert by reference and type);
-- - references with a day counted again since the last run (late events, redeliveries), that a
--   redelivered event left (int_events_deduplicated's previous_*), or with a rule whose half-life
--   changed (recomputed_refs) are recomputed from the event days; one left without any event is
--   written once with no date (a tombstone, for delete+insert) and the post-hook deletes it;
-- - an earlier scoring date than the table's recomputes everything: the pre-hook empties the
--   table, and an empty table (a first run too) sums every reference from scratch.
-- Each of those is a CTE that is empty when there is nothing of its kind: the query is the
-- same on every run. Points and caps are not stored, so a change of points recomputes nothing.
{{ config(
    unique_key=['lead_ref_type', 'lead_ref', 'event_type'],
    pre_hook="{{ empty_engagement_sums_if_rebuilt_earlier() }}",
    post_hook="{% if is_incremental() %}delete from {{ this }} where sums_through is null{% endif %}"
) }}

{%- set sums_through = "cast('" ~ leadscore.score_as_of_value() ~ "' as date)" %}

with

event_days as (

    select * from {{ ref('int_event_days_aggregated') }}

),

events as (

    select * from {{ ref('int_events_deduplicated') }}

),

rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

-- What this table holds (nothing on a first run or --full-refresh).
stored as (

    {{ stored_engagement_sums('event_days') }}

),

marks as (

    select
        max(counted_at) as counted_until,
        (select max(events.processed_at) from events) as processed_until
    from event_days

),

-- The date the stored sums were taken to; null when there are none: everything is summed.
stored_through as (

    select max(sums_through) as sums_through
    from stored

),

-- References with a day counted again since the last run, left by a redelivered event since,
-- or with a rule whose half-life changed or that gained or lost its weight row.
recomputed_refs as (

    select distinct
        event_days.lead_ref_type,
        event_days.lead_ref,
        event_days.event_type
    from event_days
    cross join stored_through
    where
        event_days.counted_at > (
            select
                coalesce(
                    max(stored.counted_until), cast('1900-01-01' as {{ dbt.type_timestamp() }})
                )
            from stored
        )
        and event_days.event_date <= stored_through.sums_through

    union

    select distinct
        events.previous_lead_ref_type as lead_ref_type,
        events.previous_lead_ref as lead_ref,
        events.previous_event_type as event_type
    from events
    where
        events.processed_at > (
            select
                coalesce(
                    max(stored.processed_until), cast('1900-01-01' as {{ dbt.type_timestamp() }})
                )
            from stored
        )
        and events.previous_lead_ref is not null
        and events.previous_event_type is not null

    union

    select distinct
        stored.lead_ref_type,
        stored.lead_ref,
        stored.event_type
    from stored
    left join rules
        on stored.rule_key = rules.rule_key
    where not (
        stored.half_life_days = rules.half_life_days
        or (stored.half_life_days is null and rules.half_life_days is null)
    )

),

-- The event days summed from scratch: those of the recomputed references, and every one when
-- nothing is stored.
days_to_sum as (

    select event_days.*
    from event_days
    inner join recomputed_refs
        on
            event_days.lead_ref_type = recomputed_refs.lead_ref_type
            and event_days.lead_ref = recomputed_refs.lead_ref
            and event_days.event_type = recomputed_refs.event_type
    where event_days.event_date <= {{ sums_through }}

    union all

    select event_days.*
    from event_days
    cross join stored_through
    where
        stored_through.sums_through is null
        and event_days.event_date <= {{ sums_through }}

),

-- Days after the date the sums were taken to, up to the scoring date, of the references not
-- recomputed: added to their stored sums.
days_to_add as (

    select event_days.*
    from event_days
    cross join stored_through
    left join recomputed_refs
        on
            event_days.lead_ref_type = recomputed_refs.lead_ref_type
            and event_days.lead_ref = recomputed_refs.lead_ref
            and event_days.event_type = recomputed_refs.event_type
    where
        event_days.event_date > stored_through.sums_through
        and event_days.event_date <= {{ sums_through }}
        and recomputed_refs.lead_ref is null

),

days_summed as (

    select * from days_to_sum
    union all
    select * from days_to_add

),

day_contributions as (

    select
        days_summed.lead_ref_type,
        days_summed.lead_ref,
        days_summed.event_type,
        days_summed.rule_key,
        days_summed.event_date as first_event_date,
        days_summed.event_date as last_event_date,
        days_summed.event_count,
        days_summed.last_occurred_at,
        rules.half_life_days,
        days_summed.event_count * {{ half_life_decay(
            dbt.datediff('days_summed.event_date', sums_through, 'day'),
            'rules.half_life_days'
        ) }} as decayed_event_count
    from days_summed
    left join rules
        on days_summed.rule_key = rules.rule_key

),

added_refs as (

    select distinct
        lead_ref_type,
        lead_ref,
        event_type
    from days_to_add

),

-- The stored sums of every rule of the references days are added to (their rows are replaced
-- together), decayed on to the scoring date; a recomputed reference's sums are whole already.
carried_sums as (

    select
        stored.lead_ref_type,
        stored.lead_ref,
        stored.event_type,
        stored.rule_key,
        stored.first_event_date,
        stored.last_event_date,
        stored.event_count,
        stored.last_occurred_at,
        stored.half_life_days,
        stored.decayed_event_count * {{ half_life_decay(
            dbt.datediff('stored.sums_through', sums_through, 'day'),
            'stored.half_life_days'
        ) }} as decayed_event_count
    from stored
    inner join added_refs
        on
            stored.lead_ref_type = added_refs.lead_ref_type
            and stored.lead_ref = added_refs.lead_ref
            and stored.event_type = added_refs.event_type

),

contributions as (

    select * from day_contributions
    union all
    select * from carried_sums

),

summed as (

    select
        lead_ref_type,
        lead_ref,
        event_type,
        rule_key,
        min(first_event_date) as first_event_date,
        max(last_event_date) as last_event_date,
        sum(event_count) as event_count,
        max(last_occurred_at) as last_occurred_at,
        max(half_life_days) as half_life_days,
        {{ exact_sum('decayed_event_count') }} as decayed_event_count
    from contributions
    group by lead_ref_type, lead_ref, event_type, rule_key

),

summed_refs as (

    select distinct
        lead_ref_type,
        lead_ref,
        event_type
    from summed

),

-- Tombstones of recomputed references left without any event (deleted by the post-hook).
tombstones as (

    select
        recomputed_refs.lead_ref_type,
        recomputed_refs.lead_ref,
        recomputed_refs.event_type,
        cast(null as {{ dbt.type_string() }}) as rule_key,
        cast(null as date) as first_event_date,
        cast(null as date) as last_event_date,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(null as integer) as half_life_days,
        cast(null as {{ type_double() }}) as decayed_event_count,
        cast(null as date) as sums_through,
        cast(null as {{ dbt.type_timestamp() }}) as counted_until,
        cast(null as {{ dbt.type_timestamp() }}) as processed_until
    from recomputed_refs
    left join summed_refs
        on
            recomputed_refs.lead_ref_type = summed_refs.lead_ref_type
            and recomputed_refs.lead_ref = summed_refs.lead_ref
            and recomputed_refs.event_type = summed_refs.event_type
    where summed_refs.lead_ref is null

),

final as (

    select
        summed.*,
        {{ sums_through }} as sums_through,
        marks.counted_until,
        marks.processed_until
    from summed
    cross join marks

    union all

    select * from tombstones

)

select * from final
