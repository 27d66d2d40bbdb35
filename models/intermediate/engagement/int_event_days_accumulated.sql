-- One row per lead reference, event type and day with events, carrying what every event of that
-- reference and type up to the day adds up to: the count, and the count decayed to that day
-- (each event halved every half_life_days of the type). Exponential decay only rescales a sum
-- as it ages, so the engagement of any later date is this row's decayed count times
-- 0.5 ^ (days since / half-life) times the points, and a day of new events touches only the
-- references that had events that day (int_engagement_points_decayed reads it).
--
-- The decayed count is summed as count x 2 ^ (half-lives since the reference's first day) and
-- scaled back; to stay within a double's range at any half-life, the half-lives are counted in
-- epochs of 256: a day's sum is its epoch's running total plus the epoch before it, and what
-- lies two epochs back (decayed by more than 2 ^ -256) is left out.
--
-- Incremental: the references (with type) that had a row on a day int_event_days_aggregated
-- counted after this model's last run (counted_at), or on a day it no longer holds, are
-- recomputed whole; so are all references of a type whose half-life changed. Points are
-- applied when reading, so a change of points or caps recomputes nothing here. A reference
-- left without any day is written once with no day (a tombstone) so that delete+insert removes
-- its rows, and the post-hook deletes the tombstone.
{#- Spark here is a local session without Delta: no delete+insert, so it rebuilds. -#}
{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    unique_key=['lead_ref_type', 'lead_ref', 'event_type'],
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{% if is_incremental() %}delete from {{ this }} where event_date is null{% endif %}"
) }}

with

event_days as (

    select * from {{ ref('int_event_days_aggregated') }}

),

engagement_weights as (

    select * from {{ ref('engagement_weights') }}

),

half_lives as (

    select
        lower(trim(event_type)) as event_type,
        max(half_life_days) as half_life_days
    from engagement_weights
    group by lower(trim(event_type))

),

{% if is_incremental() %}
stored as (

    select * from {{ this }}

),

changed_days as (

    select event_date from event_days
    where counted_at > (
        select coalesce(max(stored_marks.counted_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        from stored as stored_marks
    )
    union
    select stored_days.event_date
    from (select distinct event_date from stored) as stored_days
    left join (select distinct event_date from event_days) as held_days
        on stored_days.event_date = held_days.event_date
    where held_days.event_date is null

),

changed_types as (

    select stored_types.event_type
    from (select distinct event_type, half_life_days from stored) as stored_types
    left join half_lives
        on stored_types.event_type = half_lives.event_type
    where not (
        stored_types.half_life_days = half_lives.half_life_days
        or (stored_types.half_life_days is null and half_lives.half_life_days is null)
    )

),

changed_series as (

    select lead_ref_type, lead_ref, event_type from event_days
    where event_date in (select changed_days.event_date from changed_days)
    union
    select lead_ref_type, lead_ref, event_type from stored
    where
        event_date in (select changed_days.event_date from changed_days)
        or event_type in (select changed_types.event_type from changed_types)

),
{% endif %}

series_days as (

    select
        event_days.lead_ref_type,
        event_days.lead_ref,
        event_days.event_type,
        event_days.event_date,
        event_days.event_count,
        event_days.last_occurred_at,
        event_days.counted_at,
        half_lives.half_life_days
    from event_days
    {% if is_incremental() -%}
    inner join changed_series
        on
            event_days.lead_ref_type = changed_series.lead_ref_type
            and event_days.lead_ref = changed_series.lead_ref
            and event_days.event_type = changed_series.event_type
    {% endif -%}
    left join half_lives
        on event_days.event_type = half_lives.event_type

),

ordered as (

    select
        *,
        min(event_date) over (
            partition by lead_ref_type, lead_ref, event_type
        ) as first_event_date,
        lead(event_date) over (
            partition by lead_ref_type, lead_ref, event_type order by event_date
        ) as next_event_date,
        sum(event_count) over (
            partition by lead_ref_type, lead_ref, event_type order by event_date
            rows between unbounded preceding and current row
        ) as cumulative_event_count
    from series_days

),

dated as (

    select
        *,
        {{ dbt.datediff(
            'first_event_date', 'event_date', 'day'
        ) }} as days_in
    from ordered

),

timed as (

    select
        *,
        cast(days_in as {{ type_double() }}) / half_life_days as half_lives_in,
        floor(cast(days_in as {{ type_double() }}) / half_life_days / 256) as epoch
    from dated

),

epoch_sums as (

    select
        *,
        -- This epoch's events up to the day, scaled to the epoch's start.
        sum(event_count * power(cast(2 as {{ type_double() }}), half_lives_in - 256 * epoch)) over (
            partition by lead_ref_type, lead_ref, event_type, epoch order by event_date
            rows between unbounded preceding and current row
        ) as epoch_running_sum,
        -- The epoch before, scaled to this epoch's start.
        sum(event_count * power(cast(2 as {{ type_double() }}), half_lives_in - 256 * (epoch + 1)))
            over (
                partition by lead_ref_type, lead_ref, event_type order by epoch
                range between 1 preceding and 1 preceding
            ) as previous_epoch_sum
    from timed

),

final as (

    select
        lead_ref_type,
        lead_ref,
        event_type,
        event_date,
        next_event_date,
        first_event_date,
        event_count,
        cumulative_event_count,
        last_occurred_at,
        half_life_days,
        (coalesce(previous_epoch_sum, 0) + epoch_running_sum)
        * power(cast(2 as {{ type_double() }}), 256 * epoch - half_lives_in) as decayed_event_count,
        counted_at
    from epoch_sums

    {% if is_incremental() -%}
    union all

    -- Tombstones of the references left without a day (deleted by the post-hook).
    select
        changed_series.lead_ref_type,
        changed_series.lead_ref,
        changed_series.event_type,
        cast(null as date) as event_date,
        cast(null as date) as next_event_date,
        cast(null as date) as first_event_date,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(null as {{ dbt.type_bigint() }}) as cumulative_event_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(null as integer) as half_life_days,
        cast(null as {{ type_double() }}) as decayed_event_count,
        cast(null as {{ dbt.type_timestamp() }}) as counted_at
    from changed_series
    left join (select distinct lead_ref_type, lead_ref, event_type from series_days) as kept
        on
            changed_series.lead_ref_type = kept.lead_ref_type
            and changed_series.lead_ref = kept.lead_ref
            and changed_series.event_type = kept.event_type
    where kept.lead_ref is null
    {%- endif %}

)

select * from final
