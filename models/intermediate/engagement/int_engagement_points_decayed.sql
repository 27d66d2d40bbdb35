-- One row per scoring date, lead and event type the lead had by that date: its events, their
-- undecayed points, the points after exponential decay to the scoring date (halved every
-- half_life_days of the type), and the total after the type's cap, which bounds its absolute value
-- so negative types are capped too. Types without a weight row give no points.
--
-- Read from the running sums of int_event_days_accumulated: for each lead reference and type,
-- the last day with events on or before the scoring date holds the decayed count of every
-- event up to it, decayed on to the scoring date here and multiplied by the points. Events of
-- days before the lead was created (whole days) are not the lead's: the running sums up to the
-- last such day are taken off. An email belongs to the lead that has it on the scoring date
-- (lead_ref_owners_ctes, as in int_event_days_resolved); events of no lead or of a rejected lead
-- give no points.

with

accumulated as (

    select * from {{ ref('int_event_days_accumulated') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

leads as (

    select * from {{ ref('int_lead_versions_selected') }}

),

engagement_weights as (

    select * from {{ ref('engagement_weights') }}

),

weights as (

    select
        lower(trim(event_type)) as event_type,
        points,
        max_points_per_lead
    from engagement_weights

),

-- The last day of each reference and type on or before each scoring date.
latest_days as (

    select
        scoring_dates.score_as_of,
        accumulated.*
    from accumulated
    inner join scoring_dates
        on accumulated.event_date <= scoring_dates.score_as_of
    where
        accumulated.next_event_date is null
        or accumulated.next_event_date > scoring_dates.score_as_of

),

lead_refs as (

    select distinct
        lead_ref_type,
        lead_ref
    from latest_days

),

{{ leadscore.lead_ref_owners_ctes() }},

owned as (

    select
        latest_days.*,
        ref_owners.lead_id,
        cast(ref_owners.lead_created_at as date) as created_date,
        {{ dbt.datediff(
            'latest_days.event_date', 'latest_days.score_as_of', 'day'
        ) }} as age_days
    from latest_days
    inner join ref_owners
        on
            latest_days.score_as_of = ref_owners.score_as_of
            and latest_days.lead_ref_type = ref_owners.lead_ref_type
            and latest_days.lead_ref = ref_owners.lead_ref
    where
        ref_owners.lead_id is not null
        and ref_owners.lead_rejection_reason is null
        -- Whole days, like decay: an event on the day the lead was created counts.
        and latest_days.event_date >= cast(ref_owners.lead_created_at as date)

),

-- For references with events before the lead was created: the last such day's running sums.
before_created as (

    select
        owned.score_as_of,
        owned.lead_ref_type,
        owned.lead_ref,
        owned.event_type,
        accumulated.cumulative_event_count,
        accumulated.decayed_event_count,
        {{ dbt.datediff(
            'accumulated.event_date', 'owned.score_as_of', 'day'
        ) }} as age_days
    from owned
    inner join accumulated
        on
            owned.lead_ref_type = accumulated.lead_ref_type
            and owned.lead_ref = accumulated.lead_ref
            and owned.event_type = accumulated.event_type
    where
        owned.first_event_date < owned.created_date
        and accumulated.event_date < owned.created_date
        and accumulated.next_event_date >= owned.created_date

),

per_reference as (

    select
        owned.score_as_of,
        owned.lead_id,
        owned.event_type,
        owned.last_occurred_at,
        owned.cumulative_event_count - coalesce(before_created.cumulative_event_count, 0)
            as event_count,
        owned.decayed_event_count * power(
            cast(0.5 as {{ type_double() }}),
            cast(owned.age_days as {{ type_double() }}) / owned.half_life_days
        )
        - coalesce(before_created.decayed_event_count * power(
            cast(0.5 as {{ type_double() }}),
            cast(before_created.age_days as {{ type_double() }}) / owned.half_life_days
        ), 0) as decayed_event_count
    from owned
    left join before_created
        on
            owned.score_as_of = before_created.score_as_of
            and owned.lead_ref_type = before_created.lead_ref_type
            and owned.lead_ref = before_created.lead_ref
            and owned.event_type = before_created.event_type

),

per_type as (

    select
        per_reference.score_as_of,
        per_reference.lead_id,
        per_reference.event_type,
        weights.event_type is not null as is_weighted,
        max(weights.max_points_per_lead) as max_points_per_lead,
        sum(per_reference.event_count) as event_count,
        max(per_reference.last_occurred_at) as last_occurred_at,
        cast(
            sum(per_reference.event_count) * coalesce(max(weights.points), 0)
            as {{ type_double() }}
        ) as raw_points,
        coalesce(sum(per_reference.decayed_event_count) * max(weights.points), 0) as decayed_points
    from per_reference
    left join weights
        on per_reference.event_type = weights.event_type
    group by
        per_reference.score_as_of,
        per_reference.lead_id,
        per_reference.event_type,
        weights.event_type is not null

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
