-- One row per lead reference, event type and engagement rule (rule_key: the type's weight or an
-- attribute rule), up to the scoring date (score_as_of) at most: the events of that reference,
-- type and rule up to the date, and their count decayed to sums_through (each event halved
-- every half_life_days of its rule). Exponential decay only rescales a sum as it
-- ages: on a later date the count is decayed_event_count x 0.5 ^ (days since sums_through /
-- half-life), times the type's points (applied when reading, in int_engagement_points_decayed).
--
-- Incremental, so that a day of new events touches only the references that had events (which
-- references to recompute is asked once before the run: with none, the event days are not read
-- beyond the new ones):
-- - the days after the date the table was taken to (its newest sums_through) up to the scoring
--   date are added to the references' stored sums, decayed on to the scoring date (a
--   reference's rows are replaced together: delete+insert by reference and type);
-- - references with a day counted again since the last run (late events, redeliveries), that a
--   redelivered event left (int_events_deduplicated's previous_*), or with a rule whose half-life
--   changed, are recomputed from the event days; one left without any event is written once
--   with no date (a tombstone, for delete+insert) and the post-hook deletes it;
-- - an earlier scoring date than the table's recomputes everything (the pre-hook empties it).
-- Points and caps are not stored, so a change of points recomputes nothing here.
{{ config(
    unique_key=['lead_ref_type', 'lead_ref', 'event_type'],
    pre_hook="{{ empty_engagement_sums_if_recomputed() }}",
    post_hook="{% if is_incremental() %}delete from {{ this }} where sums_through is null{% endif %}"
) }}

{%- set recompute_all = leadscore.engagement_sums_recompute_all() %}
{%- set recompute_some = not recompute_all and leadscore.engagement_sums_recompute_some() %}
{%- set sums_through = "cast('" ~ leadscore.score_as_of_value() ~ "' as date)" %}
{%- set added_after = "cast('9999-12-31' as date)" if recompute_all
    else '(select max(stored.sums_through) from stored)' %}

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

marks as (

    select
        max(counted_at) as counted_until,
        (select max(events.processed_at) from events) as processed_until
    from event_days

),

{% if not recompute_all %}
stored as (

    select * from {{ this }}

),

{% endif %}
{% if recompute_some %}
-- References with a recounted day, left by a redelivered event, or of a changed half-life.
recomputed_refs as (

    {{ leadscore.engagement_sums_recomputed_refs_sql() }}

),

{% endif %}
-- The event days summed from scratch: all of them, or those of the recomputed references, or
-- none.
days_to_sum as (

    select event_days.*
    from event_days
    {% if recompute_some %}
    inner join recomputed_refs
        on
            event_days.lead_ref_type = recomputed_refs.lead_ref_type
            and event_days.lead_ref = recomputed_refs.lead_ref
            and event_days.event_type = recomputed_refs.event_type
    {% endif %}
    where
        event_days.event_date <= {{ sums_through }}
        and {{ 'true' if recompute_all or recompute_some else 'false' }}

),

-- Days after the date the sums were taken to, up to the scoring date: added to the stored sums
-- (none when all is summed from scratch).
days_to_add as (

    select event_days.*
    from event_days
    {% if recompute_some %}
    left join recomputed_refs
        on
            event_days.lead_ref_type = recomputed_refs.lead_ref_type
            and event_days.lead_ref = recomputed_refs.lead_ref
            and event_days.event_type = recomputed_refs.event_type
    {% endif %}
    where
        event_days.event_date > {{ added_after }}
        and event_days.event_date <= {{ sums_through }}
        and {{ 'recomputed_refs.lead_ref is null' if recompute_some else 'true' }}

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

{% if not recompute_all %}
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
    inner join (
        select distinct
            lead_ref_type,
            lead_ref,
            event_type
        from days_to_add
    ) as added_refs
        on
            stored.lead_ref_type = added_refs.lead_ref_type
            and stored.lead_ref = added_refs.lead_ref
            and stored.event_type = added_refs.event_type

),

{% endif %}
contributions as (

    select * from day_contributions
    {% if not recompute_all %}
    union all
    select * from carried_sums
    {% endif %}

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
        sum(decayed_event_count) as decayed_event_count
    from contributions
    group by lead_ref_type, lead_ref, event_type, rule_key

),

final as (

    select
        summed.*,
        {{ sums_through }} as sums_through,
        marks.counted_until,
        marks.processed_until
    from summed
    cross join marks

    {% if recompute_some %}
    union all

    -- Tombstones of recomputed references left without any event (deleted by the post-hook).
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
    left join (
        select distinct
            lead_ref_type,
            lead_ref,
            event_type
        from summed
    ) as summed_refs
        on
            recomputed_refs.lead_ref_type = summed_refs.lead_ref_type
            and recomputed_refs.lead_ref = summed_refs.lead_ref
            and recomputed_refs.event_type = summed_refs.event_type
    where summed_refs.lead_ref is null
    {% endif %}

)

select * from final
