-- One row per scoring date, lead and event type the lead had by that date: its events, their
-- undecayed points, the points after exponential decay to the scoring date (halved every
-- half_life_days of the type), and the total after the type's cap, which bounds its absolute value
-- so negative types are capped too. Types without a weight row give no points.

with

event_days as (

    select * from {{ ref('int_event_days_resolved') }}

),

engagement_weights as (

    select * from {{ ref('engagement_weights') }}

),

weighted as (

    select
        event_days.score_as_of,
        event_days.lead_id,
        event_days.event_type,
        event_days.event_count,
        event_days.last_occurred_at,
        engagement_weights.event_type is not null as is_weighted,
        engagement_weights.max_points_per_lead,
        engagement_weights.half_life_days,
        cast(event_days.event_count * coalesce(engagement_weights.points, 0) as {{ type_double() }})
            as raw_points,
        {{ dbt.datediff(
            'event_days.event_date', 'event_days.score_as_of', 'day'
        ) }} as age_days
    from event_days
    left join engagement_weights
        on event_days.event_type = lower(trim(engagement_weights.event_type))
    where event_days.rejection_reason is null

),

decayed as (

    select
        *,
        raw_points * power(
            cast(0.5 as {{ type_double() }}),
            cast(age_days as {{ type_double() }}) / half_life_days
        ) as decayed_points
    from weighted

),

per_type as (

    select
        score_as_of,
        lead_id,
        event_type,
        is_weighted,
        max(max_points_per_lead) as max_points_per_lead,
        sum(event_count) as event_count,
        max(last_occurred_at) as last_occurred_at,
        sum(raw_points) as raw_points,
        coalesce(sum(decayed_points), 0) as decayed_points
    from decayed
    group by score_as_of, lead_id, event_type, is_weighted

),

final as (

    select
        score_as_of,
        lead_id,
        event_type,
        is_weighted,
        event_count,
        last_occurred_at,
        raw_points,
        case when raw_points <> 0 then decayed_points / raw_points end as decay_factor,
        decayed_points,
        case
            when decayed_points > max_points_per_lead
                then cast(max_points_per_lead as {{ type_double() }})
            when decayed_points < -max_points_per_lead
                then cast(-max_points_per_lead as {{ type_double() }})
            else decayed_points
        end as capped_points
    from per_type

)

select * from final
